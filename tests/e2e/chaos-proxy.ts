// A fault-injecting HTTP proxy for the chaos test (chaos.spec.ts): loopback only, between the app
// in Chromium and json-server. Each request is forwarded, or faulted the way real networks and
// servers fail, drawn from a seeded PRNG so a run names its seed:
//   dropBefore  — the connection is destroyed before the request is forwarded (not applied);
//   dropAfter   — the request is forwarded (a write is applied), then the connection is destroyed
//                 instead of the answer;
//   tooMany     — 429 with `Retry-After` (not forwarded);
//   unavailable — 503 (not forwarded);
//   errorAfter  — the request is forwarded (a write is applied), the answer replaced by a 500;
//   delay       — forwarded after a pause (the request stays in flight meanwhile).
// CORS keeps working: preflights go to json-server (which answers them) and may only be dropped or
// delayed (a 429/503 to a preflight would be a real CORS failure, not a network fault); the
// answers the proxy makes itself carry the CORS headers json-server would send. Every answer
// closes its connection, so Chromium never silently re-sends a request on a reused connection:
// one fault is one failed fetch in the app.
//
// Besides the random faults, a test can `hold` the next request that matches: it stays in flight
// until released, forwarded or faulted on purpose (to reload or edit while a sync run is going, or
// to lose the answer of one particular write).
// Hand-written over node:http (no dependency): a general-purpose proxy library would not fault
// requests at these points.
import { createServer, request as forward, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";

export type Fault = "dropBefore" | "dropAfter" | "tooMany" | "unavailable" | "errorAfter" | "delay";
export const FAULTS: Fault[] = ["dropBefore", "dropAfter", "tooMany", "unavailable", "errorAfter", "delay"];
export type Rates = Record<Fault, number>;
export const NO_FAULTS: Rates = { dropBefore: 0, dropAfter: 0, tooMany: 0, unavailable: 0, errorAfter: 0, delay: 0 };

/** How a held request ends: forwarded normally, or faulted like the random faults. */
export type Release = "forward" | "dropBefore" | "dropAfter" | "errorAfter" | "unavailable";

export interface Seen {
  n: number;
  /** Milliseconds since the proxy started. */
  at: number;
  method: string;
  path: string;
  /** `no-cors` for the app's reachability probes (Sec-Fetch-Mode), else `cors`/`preflight`. */
  mode: string;
  fault: Fault | "held" | "none";
  /** A write's body (its first 400 characters). */
  body?: string;
  /** The server's status when forwarded; what the app got otherwise (0: no answer). */
  status: number;
  /** For writes: whether json-server applied it (2xx) and whether the app got that answer. */
  applied?: boolean;
  answered?: boolean;
}

export interface HeldRequest {
  method: string;
  path: string;
  body: string;
  release: (how: Release) => Promise<void>;
}

export interface Hold {
  /** Resolves when a matching request arrives (it then waits for `release`). */
  arrived: Promise<HeldRequest>;
  /** Stops waiting for a match (a request that already arrived is released with "forward"). */
  cancel: () => void;
}

export interface ChaosProxy {
  url: string;
  seed: number;
  /** Current fault rates (probabilities per request; their sum at most 1). */
  rates: Rates;
  setRates: (r: Rates) => void;
  /** Every request seen, in order of arrival. */
  log: Seen[];
  /** Requests currently in the proxy (held, delayed or waiting for json-server). */
  inFlight: () => number;
  /** Counts of what was done: per fault, forwarded, preflights, probes, writes applied but unanswered. */
  counts: () => Record<string, number>;
  hold: (match: (method: string, path: string, body: string) => boolean) => Hold;
  stop: () => Promise<void>;
}

/** mulberry32: a small seeded PRNG, enough to make a fault sequence reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const HOP = new Set(["connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade"]);

interface Answer {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

export async function chaosProxy(target: string, opts: { seed: number; rates?: Rates; delayMs?: [number, number]; retryAfterSecs?: number }): Promise<ChaosProxy> {
  const to = new URL(target);
  if (to.hostname !== "127.0.0.1") throw new Error(`the chaos proxy forwards to loopback only, not ${target}`);
  const random = prng(opts.seed);
  let rates: Rates = { ...NO_FAULTS, ...(opts.rates ?? {}) };
  const [delayMin, delayMax] = opts.delayMs ?? [150, 1200];
  const retryAfter = String(opts.retryAfterSecs ?? 1);
  const log: Seen[] = [];
  let inFlight = 0;
  const holds: { match: (m: string, p: string, b: string) => boolean; take: (h: HeldRequest) => void; cancelled: boolean }[] = [];
  const sockets = new Set<Socket>();
  const started = Date.now();

  const pick = (preflight: boolean): Fault | "none" => {
    const r = random();
    let acc = 0;
    for (const f of FAULTS) {
      acc += rates[f];
      if (r < acc) {
        // A preflight is only dropped or delayed: any other answer would be a real CORS failure.
        if (preflight && f !== "dropBefore" && f !== "dropAfter" && f !== "delay") return "none";
        return f;
      }
    }
    return "none";
  };

  const cors = (req: IncomingMessage): Record<string, string> => {
    const origin = req.headers.origin;
    return origin
      ? {
          "Access-Control-Allow-Origin": origin,
          "Access-Control-Allow-Credentials": "true",
          "Access-Control-Expose-Headers": "Retry-After, X-Total-Count, Link",
          Vary: "Origin",
        }
      : {};
  };

  const send = (req: IncomingMessage, res: ServerResponse, a: Answer) => {
    if (res.destroyed || res.writableEnded) return;
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(a.headers)) if (!HOP.has(k.toLowerCase())) headers[k] = v;
    headers["content-length"] = String(a.body.length);
    headers["connection"] = "close";
    res.writeHead(a.status, headers);
    res.end(a.body);
  };

  const made = (req: IncomingMessage, status: number, extra: Record<string, string> = {}): Answer => ({
    status,
    headers: { ...cors(req), "Content-Type": "application/json", ...extra },
    body: Buffer.from(JSON.stringify({ error: `chaos proxy: ${status}` })),
  });

  const toServer = (req: IncomingMessage, body: Buffer): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: to.host };
      delete headers.connection;
      const out = forward(
        { host: to.hostname, port: to.port, method: req.method, path: req.url, headers },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on("data", (c: Buffer) => chunks.push(c));
          answer.on("end", () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers as Record<string, string | string[]>, body: Buffer.concat(chunks) }));
          answer.on("error", reject);
        },
      );
      out.on("error", reject);
      out.end(body);
    });

  const kill = (req: IncomingMessage) => req.socket.destroy();

  /** Carries out one decision; fills in `seen`. */
  const act = async (req: IncomingMessage, res: ServerResponse, body: Buffer, how: Fault | Release | "none", seen: Seen) => {
    const write = WRITES.has(seen.method) && seen.mode !== "preflight";
    switch (how) {
      case "dropBefore":
        seen.status = 0;
        kill(req);
        return;
      case "tooMany":
        seen.status = 429;
        send(req, res, made(req, 429, { "Retry-After": retryAfter }));
        return;
      case "unavailable":
        seen.status = 503;
        send(req, res, made(req, 503));
        return;
      case "delay":
        await new Promise((r) => setTimeout(r, delayMin + random() * (delayMax - delayMin)));
        break;
    }
    let answer: Answer;
    try {
      answer = await toServer(req, body);
    } catch {
      seen.status = 0;
      kill(req);
      return;
    }
    seen.status = answer.status;
    if (write) seen.applied = answer.status >= 200 && answer.status < 300;
    if (how === "dropAfter") {
      seen.answered = false;
      kill(req);
      return;
    }
    if (how === "errorAfter") {
      seen.answered = false;
      send(req, res, made(req, 500));
      return;
    }
    seen.answered = !(res.destroyed || req.socket.destroyed);
    send(req, res, answer);
  };

  const server = createServer((req, res) => {
    inFlight++;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks);
      const method = req.method ?? "GET";
      const path = req.url ?? "/";
      const preflight = method === "OPTIONS" && req.headers["access-control-request-method"] !== undefined;
      const mode = preflight ? "preflight" : String(req.headers["sec-fetch-mode"] ?? "cors");
      const seen: Seen = { n: log.length + 1, at: Date.now() - started, method, path, mode, fault: "none", status: 0 };
      if (WRITES.has(method) && !preflight) seen.body = body.toString("utf8").slice(0, 400);
      log.push(seen);
      try {
        const text = body.toString("utf8");
        const hold = preflight ? undefined : holds.find((h) => !h.cancelled && h.match(method, path, text));
        if (hold) {
          holds.splice(holds.indexOf(hold), 1);
          seen.fault = "held";
          let released = false;
          await new Promise<void>((done) =>
            hold.take({
              method,
              path,
              body: text,
              release: async (how) => {
                if (released) return;
                released = true;
                await act(req, res, body, how === "forward" ? "none" : how, seen);
                done();
              },
            }),
          );
          return;
        }
        const fault = pick(preflight);
        seen.fault = fault;
        await act(req, res, body, fault, seen);
      } finally {
        inFlight--;
      }
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as { port: number }).port;

  return {
    url: `http://127.0.0.1:${port}`,
    seed: opts.seed,
    get rates() {
      return rates;
    },
    setRates: (r) => {
      rates = { ...r };
    },
    log,
    inFlight: () => inFlight,
    counts: () => {
      const c: Record<string, number> = { requests: log.length };
      const add = (k: string) => (c[k] = (c[k] ?? 0) + 1);
      for (const s of log) {
        if (s.mode === "preflight") add("preflights");
        if (s.mode === "no-cors") add("no-cors probes");
        if (s.fault !== "none") add(s.fault);
        if (s.applied && s.answered === false) add(`writes applied, answer lost`);
        if (s.applied) add(`writes applied`);
      }
      return c;
    },
    hold: (match) => {
      let take!: (h: HeldRequest) => void;
      const arrived = new Promise<HeldRequest>((r) => (take = r));
      const entry = { match, take, cancelled: false };
      holds.push(entry);
      return {
        arrived,
        cancel: () => {
          entry.cancelled = true;
          const i = holds.indexOf(entry);
          if (i >= 0) holds.splice(i, 1);
          else void arrived.then((h) => h.release("forward"));
        },
      };
    },
    stop: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
