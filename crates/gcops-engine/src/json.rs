//! A JSON parser that keeps where everything is: byte spans for every value and key, so
//! diagnostics can say `file:line:column` and underline the value, and duplicate keys inside
//! one object (which serde_json silently merges) can be reported. Strict RFC 8259; nesting is
//! limited so hostile input cannot exhaust the stack.

use serde_json::{Map, Number, Value};

/// How deep arrays and objects may nest.
pub const MAX_DEPTH: usize = 256;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: NodeValue,
    /// Byte range of the value in the text.
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Node>),
    /// Members in source order; duplicates kept (see [`Node::duplicate_keys`]).
    Object(Vec<Member>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub key: String,
    pub key_start: usize,
    pub key_end: usize,
    pub value: Node,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub offset: usize,
    pub message: String,
}

pub fn parse(text: &str) -> Result<Node, ParseError> {
    let mut p = Parser {
        b: text.as_bytes(),
        text,
        i: 0,
    };
    p.ws();
    let node = p.value(0)?;
    p.ws();
    if p.i < p.b.len() {
        return Err(p.err("unexpected characters after the JSON value"));
    }
    Ok(node)
}

/// A file's top level: an array read item by item (so a large file never exists as one
/// tree), or any other value whole.
pub enum Root<'a> {
    Array(Items<'a>),
    Value(Node),
}

/// The elements of a top-level array, parsed one at a time.
pub struct Items<'a> {
    p: Parser<'a>,
    first: bool,
    done: bool,
}

pub fn parse_root(text: &str) -> Result<Root<'_>, ParseError> {
    let mut p = Parser {
        b: text.as_bytes(),
        text,
        i: 0,
    };
    p.ws();
    if p.b.get(p.i) == Some(&b'[') {
        p.i += 1;
        return Ok(Root::Array(Items {
            p,
            first: true,
            done: false,
        }));
    }
    parse(text).map(Root::Value)
}

impl Items<'_> {
    /// The next element, `None` after the closing bracket (and nothing but whitespace after it).
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<Node>, ParseError> {
        if self.done {
            return Ok(None);
        }
        let p = &mut self.p;
        p.ws();
        if self.first && p.b.get(p.i) == Some(&b']') {
            p.i += 1;
            self.finish()?;
            return Ok(None);
        }
        self.first = false;
        let p = &mut self.p;
        let node = p.value(1)?;
        p.ws();
        match p.b.get(p.i) {
            Some(b',') => p.i += 1,
            Some(b']') => {
                p.i += 1;
                self.finish()?;
            }
            _ => return Err(p.err("',' or ']' expected")),
        }
        Ok(Some(node))
    }

    fn finish(&mut self) -> Result<(), ParseError> {
        self.done = true;
        self.p.ws();
        if self.p.i < self.p.b.len() {
            return Err(self.p.err("unexpected characters after the JSON value"));
        }
        Ok(())
    }
}

struct Parser<'a> {
    b: &'a [u8],
    text: &'a str,
    i: usize,
}

impl Parser<'_> {
    fn err(&self, message: &str) -> ParseError {
        ParseError {
            offset: self.i.min(self.b.len()),
            message: message.to_string(),
        }
    }

    fn ws(&mut self) {
        while let Some(c) = self.b.get(self.i) {
            if matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
                self.i += 1;
            } else {
                break;
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.err("the JSON nests too deeply"));
        }
        let start = self.i;
        let value = match self.b.get(self.i) {
            None => return Err(self.err("unexpected end of input: a value was expected")),
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => NodeValue::String(self.string()?),
            Some(b't') => self.literal("true", NodeValue::Bool(true))?,
            Some(b'f') => self.literal("false", NodeValue::Bool(false))?,
            Some(b'n') => self.literal("null", NodeValue::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(_) => return Err(self.err("unexpected character: a value was expected")),
        };
        Ok(Node {
            value,
            start,
            end: self.i,
        })
    }

    fn literal(&mut self, word: &str, v: NodeValue) -> Result<NodeValue, ParseError> {
        if self.b[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(v)
        } else {
            Err(self.err("invalid literal (true, false or null expected)"))
        }
    }

    fn number(&mut self) -> Result<NodeValue, ParseError> {
        let start = self.i;
        if self.b.get(self.i) == Some(&b'-') {
            self.i += 1;
        }
        let digits = |p: &mut Self| {
            let s = p.i;
            while p.b.get(p.i).is_some_and(u8::is_ascii_digit) {
                p.i += 1;
            }
            p.i - s
        };
        match self.b.get(self.i) {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return Err(self.err("invalid number")),
        }
        if self.b.get(self.i) == Some(&b'.') {
            self.i += 1;
            if digits(self) == 0 {
                return Err(self.err("invalid number: digits expected after '.'"));
            }
        }
        if matches!(self.b.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.b.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if digits(self) == 0 {
                return Err(self.err("invalid number: digits expected in the exponent"));
            }
        }
        match serde_json::from_str::<Value>(&self.text[start..self.i]) {
            Ok(Value::Number(n)) => Ok(NodeValue::Number(n)),
            _ => Err(ParseError {
                offset: start,
                message: "the number is out of range".into(),
            }),
        }
    }

    fn string(&mut self) -> Result<String, ParseError> {
        self.i += 1; // opening quote
        let mut out = String::new();
        loop {
            let start = self.i;
            while let Some(c) = self.b.get(self.i) {
                if *c == b'"' || *c == b'\\' || *c < 0x20 {
                    break;
                }
                self.i += 1;
            }
            out.push_str(&self.text[start..self.i]);
            match self.b.get(self.i) {
                None => return Err(self.err("unterminated string")),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    let esc = *self
                        .b
                        .get(self.i)
                        .ok_or_else(|| self.err("unterminated escape"))?;
                    self.i += 1;
                    match esc {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let c = if (0xD800..0xDC00).contains(&hi) {
                                if !self.b[self.i..].starts_with(b"\\u") {
                                    return Err(self.err("unpaired surrogate in \\u escape"));
                                }
                                self.i += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(self.err("invalid low surrogate in \\u escape"));
                                }
                                char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                            } else {
                                char::from_u32(hi)
                            };
                            out.push(c.ok_or_else(|| self.err("invalid \\u escape"))?);
                        }
                        _ => {
                            self.i -= 1;
                            return Err(self.err("invalid escape"));
                        }
                    }
                }
                Some(_) => return Err(self.err("control character in string (escape it)")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let s = self
            .text
            .get(self.i..self.i + 4)
            .ok_or_else(|| self.err("truncated \\u escape"))?;
        let v = u32::from_str_radix(s, 16).map_err(|_| self.err("invalid \\u escape"))?;
        if !s.bytes().all(|c| c.is_ascii_hexdigit()) {
            return Err(self.err("invalid \\u escape"));
        }
        self.i += 4;
        Ok(v)
    }

    fn array(&mut self, depth: usize) -> Result<NodeValue, ParseError> {
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.b.get(self.i) == Some(&b']') {
            self.i += 1;
            return Ok(NodeValue::Array(items));
        }
        loop {
            self.ws();
            items.push(self.value(depth + 1)?);
            self.ws();
            match self.b.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(NodeValue::Array(items));
                }
                _ => return Err(self.err("',' or ']' expected")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<NodeValue, ParseError> {
        self.i += 1;
        let mut members = Vec::new();
        self.ws();
        if self.b.get(self.i) == Some(&b'}') {
            self.i += 1;
            return Ok(NodeValue::Object(members));
        }
        loop {
            self.ws();
            if self.b.get(self.i) != Some(&b'"') {
                return Err(self.err("a key (a string in double quotes) expected"));
            }
            let key_start = self.i;
            let key = self.string()?;
            let key_end = self.i;
            self.ws();
            if self.b.get(self.i) != Some(&b':') {
                return Err(self.err("':' expected after the key"));
            }
            self.i += 1;
            self.ws();
            let value = self.value(depth + 1)?;
            members.push(Member {
                key,
                key_start,
                key_end,
                value,
            });
            self.ws();
            match self.b.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(NodeValue::Object(members));
                }
                _ => return Err(self.err("',' or '}' expected")),
            }
        }
    }
}

impl Node {
    /// The value as serde_json sees it (for duplicate keys, the last one wins, as in serde_json).
    pub fn to_value(&self) -> Value {
        match &self.value {
            NodeValue::Null => Value::Null,
            NodeValue::Bool(b) => Value::Bool(*b),
            NodeValue::Number(n) => Value::Number(n.clone()),
            NodeValue::String(s) => Value::String(s.clone()),
            NodeValue::Array(a) => Value::Array(a.iter().map(Node::to_value).collect()),
            NodeValue::Object(m) => {
                let mut out = Map::new();
                for member in m {
                    out.insert(member.key.clone(), member.value.to_value());
                }
                Value::Object(out)
            }
        }
    }

    /// Like [`Node::to_value`] but consuming: strings move instead of being copied, so the
    /// tree's memory is released as the value is built.
    pub fn into_value(self) -> Value {
        match self.value {
            NodeValue::Null => Value::Null,
            NodeValue::Bool(b) => Value::Bool(b),
            NodeValue::Number(n) => Value::Number(n),
            NodeValue::String(s) => Value::String(s),
            NodeValue::Array(a) => Value::Array(a.into_iter().map(Node::into_value).collect()),
            NodeValue::Object(m) => {
                let mut out = Map::new();
                for member in m {
                    out.insert(member.key, member.value.into_value());
                }
                Value::Object(out)
            }
        }
    }

    /// The node at a concrete JSON Pointer.
    pub fn pointer(&self, ptr: &str) -> Option<&Node> {
        let mut node = self;
        for seg in ptr.split('/').skip(1) {
            let seg = seg.replace("~1", "/").replace("~0", "~");
            node = match &node.value {
                NodeValue::Array(a) => a.get(seg.parse::<usize>().ok()?)?,
                NodeValue::Object(m) => &m.iter().rev().find(|mm| mm.key == seg)?.value,
                _ => return None,
            };
        }
        Some(node)
    }

    /// Every key that appears twice in one object: (pointer of the object, the second member).
    pub fn duplicate_keys(&self) -> Vec<(String, &Member)> {
        self.duplicate_keys_at("")
    }

    /// [`Node::duplicate_keys`] for a node found at pointer `at`.
    pub fn duplicate_keys_at(&self, at: &str) -> Vec<(String, &Member)> {
        let mut out = Vec::new();
        self.walk_dups(at.to_string(), &mut out);
        out
    }

    fn walk_dups<'a>(&'a self, at: String, out: &mut Vec<(String, &'a Member)>) {
        match &self.value {
            NodeValue::Array(a) => {
                for (i, n) in a.iter().enumerate() {
                    n.walk_dups(format!("{at}/{i}"), out);
                }
            }
            NodeValue::Object(m) => {
                let mut seen = std::collections::HashSet::new();
                for member in m {
                    if !seen.insert(member.key.as_str()) {
                        out.push((at.clone(), member));
                    }
                    member.value.walk_dups(
                        format!("{at}/{}", gcops_model::pointer::escape(&member.key)),
                        out,
                    );
                }
            }
            _ => {}
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids_test_rng::Rng;

    #[test]
    fn arrays_stream_item_by_item() {
        for text in [
            "[]",
            " [ 1 , {\"a\": [2]} ] \n",
            "[1,]",
            "[1] x",
            "[1 2]",
            "[",
            "{\"a\": 1}",
        ] {
            let whole = parse(text);
            let streamed: Result<Value, ParseError> = match parse_root(text) {
                Err(e) => Err(e),
                Ok(Root::Value(n)) => Ok(n.to_value()),
                Ok(Root::Array(mut items)) => (|| {
                    let mut out = Vec::new();
                    while let Some(n) = items.next()? {
                        out.push(n.to_value());
                    }
                    Ok(Value::Array(out))
                })(),
            };
            assert_eq!(
                whole.map(|n| n.to_value()).is_ok(),
                streamed.is_ok(),
                "{text}"
            );
            if let (Ok(w), Ok(s)) = (parse(text), streamed) {
                assert_eq!(w.to_value(), s);
            }
        }
    }

    #[test]
    fn parses_like_serde_json_with_spans_and_duplicates() {
        let text = "{\n  \"a\": [1, -2.5e3, \"x\\u00e9\\ud83d\\ude00\", true, null],\n  \"b\": {\"c\": 1, \"c\": 2}\n}\n";
        let node = parse(text).unwrap();
        assert_eq!(
            node.to_value(),
            serde_json::from_str::<Value>(text).unwrap()
        );
        let c = node.pointer("/b/c").unwrap();
        assert_eq!(&text[c.start..c.end], "2");
        assert_eq!(line_col(text, c.start), (3, 22));
        let dups = node.duplicate_keys();
        assert_eq!(dups.len(), 1);
        assert_eq!((dups[0].0.as_str(), dups[0].1.key.as_str()), ("/b", "c"));
        for bad in [
            "",
            "{",
            "[1,]",
            "{\"a\" 1}",
            "01",
            "\"\\x\"",
            "[1] 2",
            "{\"a\":1,}",
            "\"\u{1}\"",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
            assert!(serde_json::from_str::<Value>(bad).is_err(), "{bad:?}");
        }
        let deep = "[".repeat(100_000);
        assert!(parse(&deep).unwrap_err().message.contains("deeply"));
    }

    /// Property: on random bytes and on mutations of a valid file the parser never panics, and
    /// whenever it accepts, it agrees with serde_json.
    #[test]
    fn never_panics_on_random_or_mutated_input() {
        let valid = r#"[{"name": "Support – Tier 1", "division": {"name": "Home"}, "n": [1, 2.5, -3e2], "ok": true}]"#;
        let mut rng = Rng(0x5EED);
        for round in 0..20_000 {
            let bytes: Vec<u8> = if round % 2 == 0 {
                (0..rng.below(64))
                    .map(|_| b"{}[]\",:0123456789.eE+-tfnrul \\\"abc\xc3\xa9"[rng.below(32)])
                    .collect()
            } else {
                let mut b = valid.as_bytes().to_vec();
                for _ in 0..1 + rng.below(4) {
                    let at = rng.below(b.len());
                    match rng.below(3) {
                        0 => b[at] = rng.below(256) as u8,
                        1 => {
                            b.remove(at);
                        }
                        _ => b.insert(at, b"{}[],:\"\\"[rng.below(8)]),
                    }
                }
                b
            };
            let Ok(text) = std::str::from_utf8(&bytes) else {
                continue;
            };
            match (parse(text), serde_json::from_str::<Value>(text)) {
                (Ok(n), Ok(v)) => assert_eq!(n.to_value(), v, "{text:?}"),
                (Err(_), Err(_)) => {}
                (Ok(_), Err(e)) => panic!("accepted what serde_json refuses ({e}): {text:?}"),
                (Err(e), Ok(_)) => {
                    panic!("refused what serde_json accepts ({}): {text:?}", e.message)
                }
            }
        }
    }
}
