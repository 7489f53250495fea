"""Drive the gcops emulator with Genesys' official Python SDK (PureCloudPlatformClientV2).

Usage: python python_sdk_smoke.py READY_FILE

The SDK's gateway setting points both the login (OAuth) and API hosts at the emulator. Each step
prints one line; any deviation from the real API's behaviour raises and exits non-zero.
"""
import json
import sys
from urllib.parse import urlparse

import PureCloudPlatformClientV2 as gc
from PureCloudPlatformClientV2.rest import ApiException


def mk(cls, **fields):
    """SDK models take no constructor arguments: set attributes instead."""
    obj = cls()
    for k, v in fields.items():
        setattr(obj, k, v)
    return obj


ready = json.load(open(sys.argv[1]))
base = urlparse(ready["base_url"])
dev = ready["orgs"]["dev"]

client = gc.api_client.ApiClient()
client.set_gateway(base.hostname, base.scheme, base.port, "", "")
client = client.get_client_credentials_token(dev["client_id"], dev["client_secret"])
print("login: ok")

routing = gc.RoutingApi(client)
page = routing.get_routing_queues(page_size=3, page_number=1)
assert page.page_size == 3 and page.page_number == 1, page
assert page.total >= 10 and page.page_count == -(-page.total // 3), (page.total, page.page_count)
seen, n = [], 1
while True:
    p = routing.get_routing_queues(page_size=3, page_number=n)
    seen.extend(q.name for q in p.entities)
    if not p.next_uri:
        break
    n += 1
assert len(seen) == page.total and len(set(seen)) == len(seen), seen
assert all(isinstance(q.date_created, __import__("datetime").datetime) for q in page.entities)
print(f"paged queues: {len(seen)} in {n} pages")

skill = routing.post_routing_skills(mk(gc.CreateRoutingSkill, name="SDK Skill – Ünïcode"))
assert skill.state == "active" and skill.version == "1", skill
queue = routing.post_routing_queues(mk(
    gc.CreateQueueRequest,
    name="SDK Queue / Tier 1",
    skill_evaluation_method="BEST",
    bullseye=mk(gc.Bullseye, rings=[mk(
        gc.Ring,
        expansion_criteria=[mk(gc.ExpansionCriterium, type="TIMEOUT_SECONDS", threshold=15)],
        actions=mk(gc.Actions, skills_to_remove=[mk(gc.SkillsToRemove, id=skill.id)]))]),
))
assert queue.bullseye.rings[0].actions.skills_to_remove[0].name == skill.name, queue.bullseye
assert queue.division.name == "Home", queue.division
print(f"created skill {skill.id} and queue {queue.id} using it")

try:
    routing.post_routing_queues(mk(gc.CreateQueueRequest, name="SDK Queue / Tier 1"))
    raise SystemExit("duplicate queue name was accepted")
except ApiException as e:
    assert e.status == 400 and json.loads(e.body)["code"] == "duplicate.name", e.body
print("duplicate name: 400 duplicate.name")

orgs = gc.OrganizationApi(client)
org = orgs.get_organizations_me()
stale = org.version
org.support_uri = "help@acme.example"
updated = orgs.put_organizations_me(body=org)
assert updated.version == stale + 1, updated.version
org.version = stale
try:
    orgs.put_organizations_me(body=org)
    raise SystemExit("a stale version was accepted")
except ApiException as e:
    body = json.loads(e.body)
    assert e.status == 409 and body["code"] == "general.conflict", e.body
    assert body["contextId"] == e.headers["ININ-Correlation-Id"], (body, e.headers)
print("stale organization version: 409 general.conflict")
print("sdk smoke: passed")
