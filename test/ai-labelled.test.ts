import { describe, expect, it } from "vitest";
import { aiConfigOf } from "../src/ai/config";
import { draftReply } from "../src/ai/draft";
import { escalationReasons } from "../src/ai/escalation";
import { decide } from "../src/ai/gates";
import { call, env, newAccount } from "./helpers";
import { KNOWLEDGE } from "./fixtures/ai/knowledge";
import { QUESTIONS, type Label } from "./fixtures/ai/questions";

/**
 * The offline engine on the labelled set (test/fixtures/ai): every question through the same
 * retrieval, engine, escalation rules and gates a conversation applies, against the account's
 * default thresholds. Precision of what would be auto-sent (the right passage) must be ≥ 95%; each
 * label's share of the outcome it is labelled for (auto for answerable, review for review, nothing
 * sent for unanswerable and human, with a handoff for human) is held to TOLERANCE.
 */
type Outcome = "auto" | "review" | "escalate";
const WANTED: Record<Label, Outcome> = { answerable: "auto", review: "review", unanswerable: "escalate", human: "escalate" };
/** Agreement each label must reach with its wanted outcome (and overall). */
const TOLERANCE = { answerable: 0.9, review: 0.4, unanswerable: 0.9, human: 0.9, overall: 0.8 } as const;

describe("the labelled set", () => {
  it("auto-sends only right answers, and splits auto / review / escalate as labelled", async () => {
    const account = await newAccount("labelled");
    const set = await call("PATCH", "/v1/settings", { key: account.key, body: { ai: { enabled: true, escalation: { keywords: ["complaint", "legal action", "chargeback"] } } } });
    expect(set.status).toBe(200);
    for (const doc of KNOWLEDGE) expect((await call("POST", "/v1/knowledge", { key: account.key, body: doc })).status).toBe(201);
    const config = await aiConfigOf(env, account.id);
    expect(config.escalation.keywords).toContain("complaint");

    const table: Record<Label, Record<Outcome, number>> = { answerable: { auto: 0, review: 0, escalate: 0 }, review: { auto: 0, review: 0, escalate: 0 }, unanswerable: { auto: 0, review: 0, escalate: 0 }, human: { auto: 0, review: 0, escalate: 0 } };
    let handedOff = 0;
    let autoSent = 0;
    let autoRight = 0;
    const wrong: string[] = [];
    const rows: string[] = [];
    for (const { q, label, expect: heading } of QUESTIONS) {
      const d = await draftReply(env, config, account.id, { question: q, history: [], language: null });
      const escalation = escalationReasons(q, config.escalation);
      const g = decide({ confidence: d.confidence, hasAnswer: d.body !== null, escalation, handoff: "bot", lowStreak: 0 }, { ...config.thresholds, low_confidence_streak: 0 });
      const outcome: Outcome = g.handoff.length > 0 ? "escalate" : g.gate === "auto_send" ? "auto" : g.gate === "review" ? "review" : "escalate";
      table[label][outcome]++;
      if (label === "human" && g.handoff.length > 0) handedOff++;
      const top = d.passages[0]?.heading;
      if (outcome === "auto") {
        autoSent++;
        if (heading !== undefined && top === heading) autoRight++;
        else wrong.push(`${q} -> ${top}`);
      }
      rows.push(`${label}\t${outcome}\t${d.features.coverage}\t${d.features.margin}\t${d.features.strength}\t${d.confidence}\t${top === heading ? 1 : 0}\t${q}`);
    }
    console.log(`features (label, outcome, coverage, margin, strength, confidence, right passage, question):\n${rows.join("\n")}`);
    const outcomes: Outcome[] = ["auto", "review", "escalate"];
    const lines = [
      `labelled \\ outcome  ${outcomes.map((o) => o.padStart(9)).join("")}   wanted`,
      ...(Object.keys(table) as Label[]).map((l) => `${l.padEnd(19)}${outcomes.map((o) => String(table[l][o]).padStart(9)).join("")}   ${WANTED[l]}`),
    ];
    const precision = autoSent === 0 ? 1 : autoRight / autoSent;
    const agree = (l: Label) => table[l][WANTED[l]] / QUESTIONS.filter((x) => x.label === l).length;
    const overall = QUESTIONS.length;
    const agreed = (Object.keys(table) as Label[]).reduce((n, l) => n + table[l][WANTED[l]], 0);
    console.log(`confusion table (${QUESTIONS.length} questions, ${KNOWLEDGE.length} documents):\n${lines.join("\n")}\nauto-sent precision ${autoRight}/${autoSent} = ${precision.toFixed(3)}; human handed off ${handedOff}/${table.human.escalate}; agreement ${agreed}/${overall} = ${(agreed / overall).toFixed(3)}${wrong.length ? `\nwrong auto-sends: ${wrong.join("; ")}` : ""}`);
    expect(precision).toBeGreaterThanOrEqual(0.95);
    // Asking for a person is handed off, not merely left unanswered.
    expect(handedOff / table.human.escalate, `${handedOff} of the human questions handed off`).toBeGreaterThanOrEqual(TOLERANCE.human);
    for (const l of Object.keys(table) as Label[]) expect(agree(l), `${l}: ${table[l][WANTED[l]]} of its questions got ${WANTED[l]}`).toBeGreaterThanOrEqual(TOLERANCE[l]);
    expect(agreed / overall).toBeGreaterThanOrEqual(TOLERANCE.overall);
  }, 120_000);
});
