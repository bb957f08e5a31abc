import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/** Test-only keys: two, so a row sealed under the older one can be shown to still open after rotation. */
const TEST_CREDENTIALS_KEYS = JSON.stringify({
  current: "test2",
  keys: { test1: "mo1/xZV99JdYA6VT2RCxIvjMmGosCJc/bFCx7hemMRg=", test2: "WtjsG19I0nz3oMwPH31YXC2IVgzUM0fT1cbikXXXEb8=" },
});

export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  return {
    test: {
      projects: [
        {
          // Unit and integration tests inside the Workers runtime, against the real DOs, D1 and Queues.
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: { bindings: { TEST_MIGRATIONS: migrations, ADMIN_TOKEN: "test-admin-token", CREDENTIALS_KEYS: TEST_CREDENTIALS_KEYS } },
            }),
          ],
          test: { name: "workers", include: ["test/*.test.ts"], setupFiles: ["./test/setup/apply-migrations.ts"] },
        },
        {
          // End to end: a real `wrangler dev` driven over HTTP and WebSockets from Node.
          test: { name: "e2e", include: ["test/e2e/*.test.ts"], environment: "node", testTimeout: 60_000, hookTimeout: 120_000 },
        },
        {
          // The agent console in real Chromium (Debian's /usr/bin/chromium, driven by playwright-core) against a real `wrangler dev`.
          // One retry: it runs beside the whole workers suite on two cores, and a 30 s wait of its
          // has run out there (1 run in 3 of the full suite; 1 in 7 alone), each time on a different step.
          test: { name: "browser", include: ["test/browser/*.test.ts"], environment: "node", testTimeout: 120_000, hookTimeout: 180_000, retry: 1 },
        },
      ],
    },
  };
});
