// The agent console in real Chromium (Debian's /usr/bin/chromium, driven by playwright-core) against
// a real `wrangler dev` and the provider simulator, with the development channels `npm start`
// connects: an agent signs in with the API key, sees a customer's SMS arrive as a new conversation,
// replies and watches its ticks move as the simulator's signed receipts come back; a chat customer
// in a second browser (a participant token, at phone width) sees the agent typing and reading.
// Each step leaves a screenshot in test-artifacts/console/.
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalServer, type LocalServer } from "../../scripts/local-server.mjs";
import { ensureDevChannels, tellSimulator } from "../../sim/channels.mjs";
import { startSimulator, type Simulator } from "../../sim/start.mjs";
import { api, artifacts, chromiumPath, PHONE, DESKTOP } from "./support";

const ADMIN_TOKEN = `console-${crypto.randomUUID()}`;
const CREDENTIALS_KEYS = JSON.stringify({ current: "e2e", keys: { e2e: btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))) } });

let server: LocalServer;
let sim: Simulator;
let browser: Browser;
let key = "";
let stateDir = "";
let agent: Page;
const contexts: BrowserContext[] = [];

/** What the page logged as errors: a console that throws is a failing console. */
const pageErrors: string[] = [];

async function newPage(viewport: { width: number; height: number }, mobile = false): Promise<Page> {
  const context = await browser.newContext({ viewport, isMobile: mobile, hasTouch: mobile, deviceScaleFactor: 1 });
  contexts.push(context);
  const page = await context.newPage();
  page.on("pageerror", (e) => pageErrors.push(e.message));
  return page;
}

const shot = (page: Page, name: string) => page.screenshot({ path: `${artifacts}/${name}.png`, fullPage: false });

async function submitSignIn(page: Page, credential: string, identity?: string): Promise<void> {
  await page.goto(`${server.url}/console/`);
  await page.getByLabel("API key or participant token").fill(credential);
  if (identity !== undefined) await page.getByLabel(/Agent identity/).fill(identity);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function signIn(page: Page, credential: string, identity?: string): Promise<void> {
  await submitSignIn(page, credential, identity);
  await page.getByRole("navigation", { name: "Inbox" }).waitFor();
}

const say = (channel: string, from: string, text: string) =>
  fetch(`${sim.url}/_sim/say`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ channel, from, text }) }).then((r) => r.json() as Promise<{ parley: { status: number } }>);

beforeAll(async () => {
  const fs = (await import("node:fs/promises" as string)) as { mkdtemp(p: string): Promise<string>; mkdir(p: string, o: { recursive: boolean }): Promise<unknown> };
  const os = (await import("node:os" as string)) as { tmpdir(): string };
  stateDir = await fs.mkdtemp(`${os.tmpdir()}/parley-console-`);
  await fs.mkdir(artifacts, { recursive: true });
  // Settled, not all: when one fails to start (Chromium missing, say), afterAll must still stop the
  // others, or their wrangler processes outlive the run.
  const [started, simulated, launched] = await Promise.allSettled([
    startLocalServer({ persistTo: `${stateDir}/parley`, vars: { ADMIN_TOKEN, CREDENTIALS_KEYS } }),
    startSimulator({ persistTo: `${stateDir}/sim`, logFile: `${stateDir}/sim.log`, vars: { RECEIPT_DELAY_MS: "400" } }),
    chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] }),
  ]);
  if (started.status === "fulfilled") server = started.value;
  if (simulated.status === "fulfilled") sim = simulated.value;
  if (launched.status === "fulfilled") browser = launched.value;
  for (const r of [started, simulated, launched]) if (r.status === "rejected") throw r.reason;
  const account = await api(server.url, "POST", "/v1/accounts", ADMIN_TOKEN, { name: "Console" });
  key = account.body.api_key.key;
  await tellSimulator(sim.url, await ensureDevChannels({ parley: server.url, key, simUrl: sim.url, file: `${stateDir}/channels.json` }));
  agent = await newPage(DESKTOP);
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await Promise.all([server?.stop(), sim?.stop()]);
  const fs = (await import("node:fs/promises" as string)) as { rm(p: string, o: { recursive: boolean; force: boolean }): Promise<void> };
  if (stateDir) await fs.rm(stateDir, { recursive: true, force: true });
});

describe("the agent console", () => {
  it("refuses a wrong key, then signs in with the API key and goes live", async () => {
    await submitSignIn(agent, "sk_not_a_key", "agent-ada");
    await agent.getByRole("alert").filter({ hasText: "not accepted" }).waitFor();
    expect(await agent.getByRole("navigation", { name: "Inbox" }).isVisible()).toBe(false);
    await signIn(agent, key, "agent-ada");
    await agent.getByRole("status").filter({ hasText: "Live" }).waitFor();
    expect(await agent.getByText("agent-ada · API key").isVisible()).toBe(true);
    await shot(agent, "01-signed-in-desktop");
  });

  it("shows a customer's new SMS conversation as it arrives, unread, with its channel", async () => {
    expect((await say("sms", "+14155550123", "My parcel has not arrived")).parley.status).toBe(200);
    const row = agent.getByRole("navigation", { name: "Inbox" }).getByRole("button", { name: /My parcel has not arrived/ });
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toMatch(/\+14155550123.*SMS/);
    expect(await row.locator("[data-unread]").textContent()).toMatch(/^1/);
    await shot(agent, "02-new-conversation-live");
  });

  it("opens it, replies by SMS, and the reply's tick moves from queued to delivered as the receipts come", async () => {
    await agent.getByRole("button", { name: /My parcel has not arrived/ }).click();
    const thread = agent.getByRole("region", { name: "+14155550123" });
    await thread.getByText("My parcel has not arrived").waitFor();
    // Watch every state the reply's tick shows, as the agent would see them one after another.
    await agent.evaluate(`(() => {
      window.__ticks = [];
      new MutationObserver(() => {
        const t = document.querySelector(".msg.ours .tick");
        const s = t && t.getAttribute("data-status");
        if (s && window.__ticks.at(-1) !== s) window.__ticks.push(s);
      }).observe(document.getElementById("messages"), { subtree: true, childList: true, attributes: true });
    })()`);
    await agent.getByLabel("Send via").selectOption({ label: "SMS only" });
    await agent.getByLabel("Reply").fill("We are on it: it left the depot today.");
    await agent.getByLabel("Reply").press("Enter");
    const reply = agent.locator(".msg.ours").filter({ hasText: "We are on it" });
    await reply.locator('.tick[data-status="delivered"]').waitFor({ timeout: 30_000 });
    const ticks = (await agent.evaluate("window.__ticks")) as string[];
    expect(ticks[0]).toBe("queued");
    expect(ticks.at(-1)).toBe("delivered");
    expect(await reply.locator(".tick").first().textContent()).toContain("Delivered");
    // The unread count went away when the agent read the thread.
    await expect.poll(() => agent.getByRole("button", { name: /We are on it/ }).locator("[data-unread]").count()).toBe(0);
    await shot(agent, "03-reply-delivered");
  });

  it("shows a failed delivery with the provider's reason", async () => {
    expect((await say("sms", "+15550100001", "Can you call me back?")).parley.status).toBe(200);
    await agent.getByRole("button", { name: /Can you call me back/ }).click({ timeout: 30_000 });
    await agent.getByLabel("Reply").fill("Calling you in five minutes.");
    await agent.getByRole("button", { name: "Send", exact: true }).click();
    const reply = agent.locator(".msg.ours").filter({ hasText: "Calling you" });
    await reply.locator('.tick[data-status="undelivered"]').first().waitFor({ timeout: 30_000 });
    expect(await reply.locator(".foot").textContent()).toMatch(/Undelivered.*30003/);
    await shot(agent, "04-delivery-failed-with-reason");
  });

  it("changes the status and tags, filters by them, and finds a message by search", async () => {
    await agent.getByRole("button", { name: /We are on it/ }).click();
    await agent.getByLabel("Tags").fill("parcel, urgent");
    await agent.getByRole("button", { name: "Save" }).click();
    await agent.getByText("Saved").waitFor();
    await agent.getByLabel("Status").last().selectOption("resolved");
    await expect.poll(() => agent.getByRole("button", { name: /We are on it/ }).locator(".status").textContent()).toBe("resolved");
    expect(await agent.locator("#thread-meta").textContent()).toContain("tags: parcel, urgent");
    // The listing is D1's, a moment behind the conversation.
    await expect.poll(async () => (await api(server.url, "GET", "/v1/conversations?status=resolved", key)).body.data.map((c: { tags: string[] }) => c.tags)).toEqual([["parcel", "urgent"]]);

    // The inbox's status filter.
    await agent.getByLabel("Status").first().selectOption("open");
    await expect.poll(() => agent.getByRole("button", { name: /We are on it/ }).count()).toBe(0);
    await agent.getByLabel("Status").first().selectOption("");

    // Search, from the keyboard: "/" focuses it.
    await agent.locator("body").press("Escape");
    await agent.keyboard.press("/");
    await agent.keyboard.type("parcel");
    await agent.keyboard.press("Enter");
    const hit = agent.getByRole("region", { name: "Search results" }).getByRole("button", { name: /parcel/ });
    await hit.first().waitFor({ timeout: 30_000 });
    expect(await hit.first().locator("mark").textContent()).toBe("parcel");
    await shot(agent, "05-search");
    await hit.first().click();
    await agent.locator(".msg.flash").filter({ hasText: "My parcel" }).waitFor();
  });

  it("moves through the inbox with the keyboard, is labelled for screen readers, and hides the drafts slot when there are none", async () => {
    const list = agent.getByRole("navigation", { name: "Inbox" }).getByRole("list");
    await list.getByRole("button").first().focus();
    await agent.keyboard.press("ArrowDown");
    const focused = (await agent.evaluate("document.activeElement.textContent")) as string;
    expect(focused).toContain(await list.getByRole("button").nth(1).textContent());
    await agent.keyboard.press("Enter");
    await expect.poll(() => agent.evaluate("location.hash")).toMatch(/^#\/c\/conv_/);
    expect(await agent.locator("#messages").getAttribute("aria-live")).toBe("polite");
    expect(await agent.getByRole("main").count()).toBe(1);
    expect(await agent.getByRole("banner").count()).toBe(1);
    expect(await agent.locator("#drafts").isHidden()).toBe(true);
  });
});

describe("a chat customer beside the agent", () => {
  let customer: Page;
  let conversationId = "";

  it("signs in with a participant token at phone width and sees the conversation", async () => {
    const created = await api(server.url, "POST", "/v1/conversations", key, {
      friendly_name: "Chat with Pat",
      participants: [{ kind: "customer", identity: "cust-pat" }, { kind: "agent", identity: "agent-ada" }],
      message: { author: "cust-pat", body: "Hello, is anyone there?" },
    });
    expect(created.status).toBe(201);
    conversationId = created.body.id;
    const token = await api(server.url, "POST", "/v1/tokens", key, { identity: "cust-pat", conversation_id: conversationId });
    customer = await newPage(PHONE, true);
    await signIn(customer, token.body.token);
    await customer.getByRole("button", { name: /Chat with Pat/ }).click();
    await customer.locator("#messages").getByText("Hello, is anyone there?").waitFor();
    await customer.getByRole("status").filter({ hasText: "Live" }).waitFor();
    await shot(customer, "06-customer-phone-thread");
  });

  it("sees the read receipt when the agent opens the conversation, and the agent typing", async () => {
    await agent.getByRole("button", { name: /Chat with Pat/ }).click({ timeout: 30_000 });
    await agent.locator("#messages").getByText("Hello, is anyone there?").waitFor();
    // A token lists no participants: until the agent has written, the customer knows it only by its id.
    const mine = customer.locator(".msg.ours").filter({ hasText: "Hello, is anyone there?" });
    await mine.locator(".seen").filter({ hasText: /^Seen by / }).waitFor({ timeout: 30_000 });

    await agent.getByLabel("Reply").pressSequentially("Hi Pat, I am ", { delay: 30 });
    await customer.getByText(/is typing…/).waitFor({ timeout: 30_000 });
    await shot(customer, "07-customer-sees-typing-and-read");
    await shot(agent, "08-agent-typing");

    await agent.getByLabel("Reply").pressSequentially("here.", { delay: 30 });
    await agent.getByLabel("Reply").press("Enter");
    await customer.locator("#messages").getByText("Hi Pat, I am here.").waitFor();
    await expect.poll(() => customer.getByText(/is typing…/).count()).toBe(0);
    // Now the customer knows the agent by name, in the receipt too.
    await mine.locator(".seen").filter({ hasText: "Seen by agent-ada" }).waitFor();
  });

  it("the customer's reading and reply reach the agent: Seen by cust-pat", async () => {
    const reply = agent.locator(".msg.ours").filter({ hasText: "Hi Pat, I am here." });
    await reply.locator(".seen").filter({ hasText: "Seen by cust-pat" }).waitFor({ timeout: 30_000 });
    await customer.getByLabel("Reply").fill("Great, thanks!");
    await customer.getByLabel("Reply").press("Enter");
    await agent.locator(".msg").filter({ hasText: "Great, thanks!" }).waitFor();
    // The agent has the thread open, so it read that at once: the customer sees it.
    await customer.locator(".msg.ours").filter({ hasText: "Great, thanks!" }).locator(".seen").filter({ hasText: "Seen by agent-ada" }).waitFor({ timeout: 30_000 });
    await shot(agent, "09-agent-sees-read-receipt");
    await shot(customer, "10-customer-after-reply");
  });

  it("is readable at phone width for the agent too: the inbox, then the thread with a way back", async () => {
    await agent.setViewportSize(PHONE);
    await agent.getByRole("button", { name: "Back to the inbox" }).waitFor();
    await shot(agent, "11-agent-phone-thread");
    await agent.getByRole("button", { name: "Back to the inbox" }).click();
    await agent.getByRole("button", { name: /Chat with Pat/ }).waitFor();
    expect(await agent.locator("#thread").isVisible()).toBe(false);
    await shot(agent, "12-agent-phone-inbox");
    // Nothing is wider than the screen.
    expect(await agent.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(PHONE.width);
    await agent.setViewportSize(DESKTOP);
  });
});

describe("/docs", () => {
  it("renders the API reference with nothing from outside this deployment", async () => {
    const page = await newPage(DESKTOP);
    const outside: string[] = [];
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(server.url) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
      outside.push(url);
      return route.abort();
    });
    await page.goto(`${server.url}/docs`);
    await page.getByText("Parley API", { exact: false }).first().waitFor({ timeout: 60_000 });
    await page.getByText("Open the conversation's WebSocket").first().waitFor({ timeout: 60_000 });
    await shot(page, "13-docs");
    expect(outside).toEqual([]);
  });
});

it("raised no errors in any page", () => {
  expect(pageErrors).toEqual([]);
});
