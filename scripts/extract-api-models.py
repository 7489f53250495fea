#!/usr/bin/env python3
"""Extract the API models the emulator serves from the shared reference (api-models.json).

The emulator validates request bodies (types, enums, required fields) and whitelists response
fields from these models, so that what it accepts and returns follows the official SDK models.
Run from the repository root:  python3 scripts/extract-api-models.py
"""
import json, re, sys, pathlib

ROOTS = [
    "Queue", "CreateQueueRequest", "QueueRequest", "RoutingSkill", "CreateRoutingSkill",
    "UpdateSkillDivisionRequest", "Language", "WrapupCode", "WrapupCodeRequest", "Schedule",
    "ScheduleGroup", "Flow", "DomainCertificateAuthority", "TrunkBase", "Site",
    "OutboundRouteBase", "Organization", "AuthzDivision", "QueueMember", "Metabase",
    "LocationDefinition", "WrapUpCodeReference", "WritableEntity",
]
src = pathlib.Path(__file__).resolve().parent.parent.parent / "shared/reference/api-models.json"
if len(sys.argv) > 1:
    src = pathlib.Path(sys.argv[1])
models = json.load(open(src))["models"]
out, todo = {}, list(ROOTS)
prim = {"string", "integer", "number", "boolean", "object", "string<date-time>", "string<date>",
        "string<local-date-time>", "integer int64"}
while todo:
    name = todo.pop()
    if name in out or name in prim:
        continue
    if name not in models:
        print("missing model", name, file=sys.stderr)
        continue
    fields = {}
    for fname, f in models[name]["fields"].items():
        keep = {"type": f["type"]}
        if f.get("readOnly"):
            keep["readOnly"] = True
        if f.get("required"):
            keep["required"] = True
        if f.get("enum"):
            keep["enum"] = f["enum"]
        fields[fname] = keep
        for t in re.findall(r"[A-Za-z][A-Za-z0-9]*", f["type"]):
            if t not in ("array", "map", "string", "integer", "number", "boolean", "object",
                         "int64", "date", "time", "local") and t[0].isupper():
                todo.append(t)
    out[name] = fields
dst = pathlib.Path("crates/gcops-model/src/api_models.json")
dst.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
print(f"wrote {dst}: {len(out)} models")
