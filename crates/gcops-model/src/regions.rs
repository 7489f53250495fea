//! Genesys Cloud regions (reference/platform-api.md §1.1). The login host is the API host with
//! `api.` replaced by `login.`, as the official SDKs derive it.

/// (AWS region name, API host).
pub const REGIONS: &[(&str, &str)] = &[
    ("us-east-1", "api.mypurecloud.com"),
    ("us-east-2", "api.use2.us-gov-pure.cloud"),
    ("us-west-2", "api.usw2.pure.cloud"),
    ("ca-central-1", "api.cac1.pure.cloud"),
    ("sa-east-1", "api.sae1.pure.cloud"),
    ("mx-central-1", "api.mxc1.pure.cloud"),
    ("eu-west-1", "api.mypurecloud.ie"),
    ("eu-west-2", "api.euw2.pure.cloud"),
    ("eu-central-1", "api.mypurecloud.de"),
    ("eu-central-2", "api.euc2.pure.cloud"),
    ("eusc-de-east-1", "api.edee1.eusc-pure.cloud"),
    ("me-central-1", "api.mec1.pure.cloud"),
    ("ap-south-1", "api.aps1.pure.cloud"),
    ("ap-southeast-1", "api.apse1.pure.cloud"),
    ("ap-southeast-2", "api.mypurecloud.com.au"),
    ("ap-northeast-1", "api.mypurecloud.jp"),
    ("ap-northeast-2", "api.apne2.pure.cloud"),
    ("ap-northeast-3", "api.apne3.pure.cloud"),
];

/// `(api_base, login_base)` of a region, e.g. `https://api.mypurecloud.ie`.
pub fn bases(region: &str) -> Option<(String, String)> {
    let host = REGIONS.iter().find(|(r, _)| *r == region)?.1;
    Some((
        format!("https://{host}"),
        format!("https://{}", host.replacen("api.", "login.", 1)),
    ))
}

/// The login base for an API base: `//api.` becomes `//login.`; anything else (an emulator)
/// serves OAuth on the same host.
pub fn login_base_for(api_base: &str) -> String {
    api_base.replacen("//api.", "//login.", 1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn login_hosts() {
        assert_eq!(
            super::bases("eu-west-1").unwrap(),
            (
                "https://api.mypurecloud.ie".into(),
                "https://login.mypurecloud.ie".into()
            )
        );
        assert_eq!(
            super::login_base_for("http://127.0.0.1:8080"),
            "http://127.0.0.1:8080"
        );
        assert_eq!(super::REGIONS.len(), 18);
    }
}
