// The end-to-end tests' web server: serves the release build (dist/) as a host site would, the
// example page under a strict Content-Security-Policy header, and real faults on demand.
//
//   node e2e/server.mjs [dist] [port]
//
// Faults live under /test/fault/<name>: POST {"mode": ..., "fixture": ..., "delayMs": ...} sets
// what GET /test/fault/<name> answers next: "ok" (the fixture), "status" (an HTTP error with a
// JSON body), "malformed" (truncated JSON), "missing" (JSON without a headline), "slow" (the
// fixture after delayMs). Each test uses its own name, so tests run in parallel.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";

const root = resolve(process.argv[2] ?? "dist");
// The test-only host pages (e2e/pages), served under /test/pages/.
const pagesRoot = resolve(new URL(".", import.meta.url).pathname);
const port = Number(process.argv[3] ?? process.env.PORT ?? 4173);
const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
};
const faults = new Map();
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

function send(res, status, body, type = "application/json; charset=utf-8", headers = {}) {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store", ...headers });
  res.end(body);
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

async function fixture(name) {
  return readFile(join(root, "fixtures", normalize(name).replace(/^(\.\.[/\\])+/, "")));
}

async function fault(req, res, name) {
  if (req.method === "POST") {
    faults.set(name, JSON.parse((await readBody(req)) || "{}"));
    return send(res, 204, "");
  }
  const { mode = "ok", fixture: file = "fr-complet.json", status = 500, delayMs = 0 } = faults.get(name) ?? {};
  switch (mode) {
    case "status":
      return send(res, status, JSON.stringify({ error: "fault", message: `injected ${status}` }));
    case "malformed":
      return send(res, 200, '{"id": "cassé", "headline": "Coupé en plein');
    case "missing":
      return send(res, 200, JSON.stringify({ id: "x", published: "2026-11-22T08:00:00Z", body: [] }));
    case "slow":
      await sleep(delayMs);
      return send(res, 200, await fixture(file));
    default:
      return send(res, 200, await fixture(file));
  }
}

async function serveFile(req, res, path, base) {
  let file = resolve(base, "." + decodeURIComponent(path));
  if (file !== base && !file.startsWith(base + sep)) return send(res, 403, '{"error":"forbidden"}');
  try {
    if ((await stat(file)).isDirectory()) file = join(file, "index.html");
    const headers = path.startsWith("/examples/") ? { "content-security-policy": STRICT_CSP } : {};
    send(res, 200, await readFile(file), TYPES[extname(file)] ?? "application/octet-stream", headers);
  } catch {
    send(res, 404, JSON.stringify({ error: "not_found" }));
  }
}

createServer(async (req, res) => {
  try {
    const { pathname } = new URL(req.url, "http://localhost");
    const faultName = pathname.match(/^\/test\/fault\/([\w-]+)$/)?.[1];
    if (faultName) return await fault(req, res, faultName);
    if (pathname.startsWith("/test/pages/")) return await serveFile(req, res, pathname.slice(5), pagesRoot);
    return await serveFile(req, res, pathname, root);
  } catch (error) {
    send(res, 500, JSON.stringify({ error: "server", message: String(error) }));
  }
}).listen(port, "127.0.0.1", () => console.log(`e2e server: ${root} on http://127.0.0.1:${port}`));
