// The agent console's entry: signing in, then the inbox, the open conversation (its address is
// `#/c/<conversation id>`, so Back and reloads work), the account stream that keeps the inbox live,
// and the keyboard shortcuts. Bundled into public/console/app.js by scripts/build-assets.mjs.
import { ParleyError } from "../../sdk/src/index";
import { Client, type Conversation, type InboxRow } from "./client";
import { Compose } from "./compose";
import { Details } from "./details";
import { byId } from "./dom";
import { Drafts } from "./drafts";
import { InboxView } from "./inbox";
import { SearchView } from "./search";
import { forgetSession, savedSession, saveSession, sessionFrom, type Session } from "./session";
import { ThreadView } from "./thread";

/** With a token there is no account stream: the inbox is listed again this often while the page is in view. */
const TOKEN_INBOX_REFRESH_MS = 15_000;

const route = (): string | null => location.hash.match(/^#\/c\/([\w-]+)/)?.[1] ?? null;

function connection(state: "live" | "connecting" | "down"): void {
  const el = byId("connection");
  el.dataset.state = state;
  el.textContent = state === "live" ? "Live" : state === "connecting" ? "Connecting…" : "Offline";
}

/** Checks the credential with one small call before the console starts on it. */
async function signIn(session: Session): Promise<Client> {
  const client = new Client(session);
  if (session.kind === "key") await client.parley.conversations.list({ limit: 1 });
  else await client.parley.identities.conversations(session.identity, { limit: 1 });
  return client;
}

function showSignIn(message = ""): void {
  byId("signin").hidden = false;
  byId("app").hidden = true;
  byId("sign-out").hidden = true;
  byId("who").textContent = "";
  byId("signin-error").textContent = message;
  byId<HTMLInputElement>("credential").focus();
}

function start(client: Client): void {
  byId("signin").hidden = true;
  byId("app").hidden = false;
  byId("sign-out").hidden = false;
  byId("who").textContent = `${client.identity} · ${client.account ? "API key" : "participant token"}`;
  const app = byId("app");

  const thread = new ThreadView(client, {
    changed: (row) => {
      inbox.upsert(row);
      details.show(row);
    },
    read: (id, unread, participantId) => inbox.read(id, unread, participantId),
    connection: (state) => !client.account && connection(state),
  });
  const inbox = new InboxView(client, (id) => (location.hash = `#/c/${id}`));
  const compose = new Compose(client, thread);
  const details = new Details(client, (row) => inbox.upsert(row));
  const drafts = new Drafts(client);
  const search = new SearchView(client, (id, index) => void openConversation(id, index));

  async function openConversation(id: string | null, focusIndex?: number): Promise<void> {
    app.dataset.view = id ? "thread" : "inbox";
    inbox.select(id);
    if (!id) {
      thread.close();
      details.show(null);
      compose.reset();
      void drafts.show(null);
      byId("thread-title").textContent = "No conversation open";
      byId("thread-meta").textContent = "";
      byId("thread-empty").hidden = false;
      return;
    }
    if (thread.row?.id === id) return;
    const row: InboxRow | undefined = inbox.get(id) ?? (client.account ? { ...(await client.parley.conversations.get(id)), participant_id: null, unread_count: 0 } : undefined);
    if (!row) return;
    details.show(row);
    compose.clearText();
    await thread.open(row, focusIndex);
    compose.refresh();
    void drafts.show(id);
    byId("thread").focus();
    if (focusIndex !== undefined) search.close();
  }

  thread.onCustomerMessage = () => drafts.later();

  const stream = client.accountStream();
  if (stream) {
    connection("connecting");
    stream.on("open", () => {
      connection("live");
      void inbox.load(); // after a reconnect anything may have changed
    });
    stream.on("close", (info) => connection(info.willRetry ? "connecting" : "down"));
    // The SDK types these two frames as never (they share one variant of AccountFrame, whose type is an enum): read as what they are.
    const conversationOf = (frame: unknown) => (frame as { conversation: Conversation }).conversation;
    stream.on("conversation.created", (frame) => inbox.upsert(conversationOf(frame)));
    stream.on("conversation.updated", (frame) => {
      const conversation = conversationOf(frame);
      inbox.upsert(conversation);
      if (thread.row?.id === conversation.id) details.show(Object.assign(thread.row, conversation));
    });
    stream.on("conversation.deleted", ({ conversation_id }) => inbox.remove(conversation_id));
    stream.on("message.added", (frame) => inbox.messageAdded(frame, thread.row?.id === frame.conversation_id && document.visibilityState === "visible" && thread.me !== null));
  } else {
    void inbox.load();
    window.setInterval(() => document.visibilityState === "visible" && void inbox.load(), TOKEN_INBOX_REFRESH_MS);
  }

  byId("back").addEventListener("click", () => (location.hash = "#/"));
  document.addEventListener("keydown", (e) => {
    // Escape leaves the conversation for the inbox (at phone width, the inbox is another screen).
    if (e.key === "Escape" && app.dataset.view === "thread" && !(e.target as HTMLElement).closest("#search-results")) {
      location.hash = "#/";
      byId("conversation-list").querySelector<HTMLElement>("[aria-current=true]")?.focus();
    }
  });
  window.addEventListener("hashchange", () => void openConversation(route()));
  byId("sign-out").addEventListener("click", () => {
    stream?.close();
    thread.close();
    forgetSession();
    location.hash = "";
    location.reload();
  });
  void openConversation(route());
}

function boot(): void {
  byId<HTMLFormElement>("signin-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const parsed = sessionFrom(byId<HTMLInputElement>("credential").value, byId<HTMLInputElement>("identity").value);
    if ("error" in parsed) {
      byId("signin-error").textContent = parsed.error;
      byId<HTMLInputElement>(parsed.field).focus();
      return;
    }
    try {
      const client = await signIn(parsed);
      saveSession(parsed);
      start(client);
    } catch (err) {
      showSignIn(err instanceof ParleyError && err.status === 401 ? "That key or token was not accepted." : `Could not sign in: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  const saved = savedSession();
  if (!saved) return showSignIn();
  signIn(saved).then(start, () => {
    forgetSession();
    showSignIn("Your session has ended; sign in again.");
  });
}

boot();
