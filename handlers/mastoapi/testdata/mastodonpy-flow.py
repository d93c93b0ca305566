"""Issue 8's flow with Mastodon.py (Debian's python3-mastodon 1.8) against a
real node: register an app, log in out of band (the test authorises on the
consent page and writes the code to standard input), read the account,
resolve and follow a second node, find its case study in the home timeline
and the regional feed, answer it (the reply reaches the peer's discussion),
be told when the peer follows back (the test has it follow, once asked on
standard output), unfollow. Each step checks its answer and raises; the
results are printed as JSON on the last line.

Usage: mastodonpy-flow.py BASE PEER_BASE
"""
import json
import sys
import time

from mastodon import Mastodon

OOB = "urn:ietf:wg:oauth:2.0:oob"
SCOPES = ["read", "write", "follow"]
base, peer_base = sys.argv[1], sys.argv[2]
peer_handle = "org@" + peer_base.split("://", 1)[1]


def check(ok, what, got):
    if not ok:
        raise AssertionError(f"{what}: got {got!r}")


def eventually(what, fn):
    """Polls fn until it returns something truthy, for up to a minute."""
    for _ in range(600):
        got = fn()
        if got:
            return got
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting: {what}")


def ask(line):
    """Says line to the test and returns its answer."""
    print(line, flush=True)
    return sys.stdin.readline().strip()


client_id, client_secret = Mastodon.create_app("Pollen flow", scopes=SCOPES, redirect_uris=OOB, api_base_url=base)
m = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base)
code = ask("AUTHORIZE " + m.auth_request_url(redirect_uris=OOB, scopes=SCOPES))
m.log_in(code=code, redirect_uri=OOB, scopes=SCOPES)
results = {"me": m.account_verify_credentials()}

found = m.search_v2(peer_handle, resolve=True)
check(len(found["accounts"]) == 1 and found["accounts"][0]["acct"] == peer_handle, "search", found["accounts"])
peer = found["accounts"][0]
results["follow"] = m.account_follow(peer["id"])
check(results["follow"]["following"] or results["follow"]["requested"], "follow", results["follow"])

theirs = eventually("the peer's case study in the home timeline", lambda: next(
    (s for s in m.timeline_home(limit=40) if s["account"]["acct"] == peer_handle), None))
results["home"] = theirs
results["public"] = [s["account"]["acct"] for s in m.timeline_public(limit=40)]
check(peer_handle in results["public"], "the regional feed", results["public"])

reply = m.status_post("How did you bring the staff along?", in_reply_to_id=theirs["id"], visibility="public")
check(str(reply["in_reply_to_id"]) == str(theirs["id"]), "reply", reply)
results["reply"] = reply
peer_api = Mastodon(api_base_url=peer_base)
original = next(s for s in peer_api.timeline_public(local=True, limit=40) if s["uri"] == theirs["uri"])
eventually("the reply in the peer's discussion", lambda: any(
    s["uri"] == reply["uri"] for s in peer_api.status_context(original["id"])["descendants"]))

check(ask("PEER_FOLLOWS") == "ok", "the peer following us", "")
results["notification"] = eventually("a follow notification", lambda: next(
    (n for n in m.notifications(types=["follow"]) if n["account"]["acct"] == peer_handle), None))

results["unfollow"] = m.account_unfollow(peer["id"])
check(not results["unfollow"]["following"], "unfollow", results["unfollow"])
home = [s["account"]["acct"] for s in m.timeline_home(limit=40)]
check(peer_handle not in home, "the home timeline after unfollowing", home)
print(json.dumps(results, default=str))
