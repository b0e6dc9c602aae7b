// Serves the release build ($KEHU_E2E_DIST, else ../../dist) with Debian's nginx under /crm/ for the whole run (scripts/nginx.sh, the same
// configuration as deploy/nginx.conf), and stops it at the end.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const nginx = join(root, "scripts/nginx.sh");

export default function globalSetup() {
  const port = process.env.KEHU_E2E_PORT ?? "8091";
  const dist = process.env.KEHU_E2E_DIST ?? join(root, "dist");
  if (!existsSync(join(dist, "index.html"))) throw new Error(`no build in ${dist}: run trunk build --release --offline --public-url /crm/`);
  execFileSync(nginx, ["start", dist, port, process.env.KEHU_E2E_SUBPATH ?? "/crm/"], { stdio: ["ignore", "ignore", "inherit"] });
  return () => execFileSync(nginx, ["stop", port], { stdio: "inherit" });
}
