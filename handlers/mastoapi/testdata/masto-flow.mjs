// A Mastodon client nobody here wrote, masto.js (the library Elk is built
// on), signs in to a real Pollen node and reads it, as Elk does.
//
//   PEER_TOKEN=… node masto-flow.mjs MASTO_DIR BASE_URL PEER_URL
//
// MASTO_DIR is the masto package's directory (node_modules/masto),
// PEER_URL another node and PEER_TOKEN an admin token of it. The
// script registers an app and prints one JSON line {"authorize": URL}; the
// test signs in and authorises it there, and writes back on standard input
// the URL the node redirected to (with code and state). The script then
// exchanges the code with its PKCE verifier and prints one JSON line
// {"results": {STEP: ANSWER…}}, the answers of each step of `steps`.
// Any error is printed on standard error and exits 1.

import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

const [mastoDir, base, peerBase] = process.argv.slice(2);
const masto = await import(pathToFileURL(join(mastoDir, "dist", "esm", "index.js")).href);
const mastoVersion = JSON.parse(readFileSync(join(mastoDir, "package.json"), "utf8")).version;

// What Elk asks for, and a redirect URI like Elk's own.
const scopes = "read write follow push";
const redirectUri = "https://elk.example/api/oauth/callback";

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

// signIn registers the app, has the user authorise it (the authorisation
// code flow with PKCE S256 and a state), exchanges the code and returns a
// REST client with the token, and the token.
async function signIn() {
  const anonymous = masto.createRestAPIClient({ url: base });
  const app = await anonymous.v1.apps.create({ clientName: "Elk", redirectUris: redirectUri, scopes, website: "https://elk.zone" });
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const state = randomBytes(16).toString("hex");
  const authorize = new URL("/oauth/authorize", base);
  for (const [k, v] of Object.entries({ client_id: app.clientId, redirect_uri: redirectUri, response_type: "code", scope: scopes,
    state, code_challenge: challenge, code_challenge_method: "S256" })) {
    authorize.searchParams.set(k, v);
  }
  console.log(JSON.stringify({ authorize: authorize.href }));

  const { value: back } = await lines.next();
  const redirected = new URL(back.trim());
  if (redirected.origin + redirected.pathname !== redirectUri || redirected.searchParams.get("state") !== state) {
    throw new Error(`redirected to ${back}, want ${redirectUri} with state ${state}`);
  }
  const oauth = masto.createOAuthAPIClient({ url: base });
  // masto sends the parameters as they are, in snake_case: codeVerifier
  // goes as code_verifier.
  const token = await oauth.token.create({ grantType: "authorization_code", clientId: app.clientId, clientSecret: app.clientSecret,
    redirectUri, code: redirected.searchParams.get("code"), scope: scopes, codeVerifier: verifier });
  return { client: masto.createRestAPIClient({ url: base, accessToken: token.accessToken }), token };
}

// Each step takes the signed-in session (client, token, me, results so
// far) and returns what the test checks.
const steps = {
  token: async ({ token }) => ({ scope: token.scope, tokenType: token.tokenType }),
  instance: async ({ client }) => ({ v1: await client.v1.instance.fetch(), v2: await client.v2.instance.fetch() }),
  peerInstance: async () => masto.createRestAPIClient({ url: peerBase }).v2.instance.fetch(),
  verifyCredentials: async ({ me }) => me,
  // Every page of the public timeline, one status a page: masto follows
  // the Link header.
  publicTimeline: async ({ client }) => {
    const pages = [];
    for await (const page of client.v1.timelines.public.list({ limit: 1 })) {
      pages.push(page.map((s) => ({ id: s.id, acct: s.account.acct, content: s.content, url: s.url })));
      if (pages.length > 5) break;
    }
    return pages;
  },
  lookup: async ({ client }) => client.v1.accounts.lookup({ acct: "org" }),
  relationships: async ({ client, me }) => client.v1.accounts.relationships.fetch({ id: [me.id] }),
  followPeer: (session) => followPeer(session),
  homeTimeline: (session) => homeTimeline(session),
  replyToPeer: (session) => replyToPeer(session),
  notifications: (session) => notifications(session),
  unfollowPeer: (session) => unfollowPeer(session),
};

// The steps of issue 8's flow after signing in: each checks its own
// answer (and throws); the Go test then checks the results.
const peerHandle = () => `org@${new URL(peerBase).host}`;
const ourHandle = () => `org@${new URL(base).host}`;

function check(ok, what, got) {
  if (!ok) throw new Error(`${what}: got ${JSON.stringify(got)}`);
}

// eventually polls fn until it returns something truthy (federation is
// asynchronous), for up to a minute.
async function eventually(what, fn) {
  for (let i = 0; i < 600; i++) {
    const got = await fn();
    if (got) return got;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`gave up waiting: ${what}`);
}

// Search resolves the peer's handle; the organisation follows it.
export async function followPeer({ client }) {
  const found = await client.v2.search.list({ q: peerHandle(), resolve: true, type: "accounts" });
  check(found.accounts.length === 1 && found.accounts[0].acct === peerHandle(), "search for the peer", found.accounts);
  const rel = await client.v1.accounts.$select(found.accounts[0].id).follow();
  check(rel.following || rel.requested, "follow", rel);
  return rel;
}

// The peer's case study arrives in the home timeline (after followPeer).
export async function homeTimeline({ client }) {
  return eventually("the peer's case study in the home timeline", async () => {
    const home = await client.v1.timelines.home.list({ limit: 40 });
    return home.find((s) => s.account.acct === peerHandle() && s.content.includes("Running the leisure centres"));
  });
}

// A reply to the peer's case study, which the peer shows in its discussion
// (statuses/:id/context on the peer).
export async function replyToPeer({ client, results }) {
  const theirs = results.homeTimeline;
  const reply = await client.v1.statuses.create({ status: `@${peerHandle()} How did you keep the staff on board?`, inReplyToId: theirs.id, visibility: "public" });
  check(reply.inReplyToId === theirs.id, "reply", reply);
  const peer = masto.createRestAPIClient({ url: peerBase });
  const original = (await peer.v1.timelines.public.list({ local: true })).find((s) => s.uri === theirs.uri);
  check(original, "the case study on the peer", theirs.uri);
  await eventually("the reply on the peer", async () =>
    (await peer.v1.statuses.$select(original.id).context.fetch()).descendants.some((s) => s.uri === reply.uri));
  return reply;
}

// The peer (its admin token in PEER_TOKEN) follows us back, and we are
// told.
export async function notifications({ client }) {
  const peer = masto.createRestAPIClient({ url: peerBase, accessToken: process.env.PEER_TOKEN });
  const us = await peer.v2.search.list({ q: ourHandle(), resolve: true, type: "accounts" });
  await peer.v1.accounts.$select(us.accounts[0].id).follow();
  return eventually("a follow notification", async () =>
    (await client.v1.notifications.list({ types: ["follow"] })).find((n) => n.account.acct === peerHandle()));
}

// Unfollowing the peer: its statuses leave the home timeline.
export async function unfollowPeer({ client }) {
  const them = await client.v1.accounts.lookup({ acct: peerHandle() });
  const rel = await client.v1.accounts.$select(them.id).unfollow();
  check(!rel.following && !rel.requested, "unfollow", rel);
  const home = await client.v1.timelines.home.list({ limit: 40 });
  check(!home.some((s) => s.account.acct === peerHandle()), "the home timeline after unfollowing", home.map((s) => s.account.acct));
  return rel;
}

try {
  const { client, token } = await signIn();
  const session = { client, token, me: await client.v1.accounts.verifyCredentials(), results: {} };
  for (const [name, step] of Object.entries(steps)) {
    session.results[name] = await step(session);
  }
  console.log(JSON.stringify({ masto: mastoVersion, results: session.results }));
  process.exit(0);
} catch (err) {
  console.error(err?.stack ?? String(err));
  process.exit(1);
}
