import type { CreateKnowledgeDocument, KnowledgeDocument, KnowledgeFormat, KnowledgePassage, UpdateKnowledgeDocument } from "../../contract/knowledge";
import { newId } from "../../lib/ids";
import { LIMITS } from "../../lib/limits";
import { fail, problem, ProblemError } from "../../lib/problem";
import { passagesOf } from "./split";

/**
 * The knowledge base in D1 (migrations/0020_knowledge.sql): documents, their passages by version,
 * and the FTS5 index the triggers keep over live passages. Every read and write is scoped by
 * account; another account's id is not found.
 */

const SPAN = "1099511627776"; // 2^40: passages per account, as the message index partitions
type DocRow = { id: string; title: string; topic: string | null; format: KnowledgeFormat; content: string; version: number; passage_count: number; revision: string; created_at: number; updated_at: number };
type PassageRow = { id: string; document_id: string; version: number; position: number; heading: string; body: string; live: number };

const iso = (ms: number) => new Date(ms).toISOString();
const renderDoc = (d: DocRow): KnowledgeDocument => ({ id: d.id, title: d.title, topic: d.topic, format: d.format, content: d.content, version: d.version, passage_count: d.passage_count, created_at: iso(d.created_at), updated_at: iso(d.updated_at) });
const renderPassage = (p: PassageRow): KnowledgePassage => ({ id: p.id, document_id: p.document_id, version: p.version, position: p.position, heading: p.heading, text: p.body, live: p.live === 1 });

/** The account's number in search_accounts (shared with the message index), taken with its first document. */
const numberAccount = (db: D1Database, accountId: string) =>
  db.prepare("INSERT INTO search_accounts (account_id, n) SELECT ?1, (SELECT coalesce(max(n), 0) + 1 FROM search_accounts) WHERE NOT EXISTS (SELECT 1 FROM search_accounts WHERE account_id = ?1)").bind(accountId);

/** A version's passages, each a rowid after the account's highest (computed in the statement: an INTEGER). */
const insertPassages = (db: D1Database, accountId: string, documentId: string, version: number, passages: { id: string; heading: string; text: string }[], revision: string) =>
  db
    .prepare(
      `INSERT INTO knowledge_passages (doc, id, account_id, document_id, version, position, heading, body, live)
       SELECT base.b + j.key + 1, j.value ->> '$.id', ?1, ?2, ?3, j.key, j.value ->> '$.heading', j.value ->> '$.text', 1
       FROM json_each(?4) j, (SELECT coalesce((SELECT max(doc) FROM knowledge_passages WHERE doc BETWEEN a.n * ${SPAN} AND a.n * ${SPAN} + ${SPAN} - 1), a.n * ${SPAN}) AS b
                             FROM search_accounts a WHERE a.account_id = ?1) base
       WHERE EXISTS (SELECT 1 FROM knowledge_documents WHERE id = ?2 AND revision = ?5)`,
    )
    .bind(accountId, documentId, version, JSON.stringify(passages), revision);

/**
 * Retires a document's live passages (out of the index) and deletes those no draft cited. With a
 * `revision`, only if the document row carries it: the write before it in the batch set it, so a
 * concurrent update that lost the race changes no passage either.
 */
const retire = (db: D1Database, documentId: string, revision?: string) => {
  const mine = revision === undefined ? "" : " AND EXISTS (SELECT 1 FROM knowledge_documents WHERE id = ?2 AND revision = ?3)";
  const args = revision === undefined ? [documentId] : [documentId, documentId, revision];
  return [
    db.prepare(`UPDATE knowledge_passages SET live = 0 WHERE document_id = ?1 AND live = 1${mine}`).bind(...args),
    db.prepare(`DELETE FROM knowledge_passages WHERE document_id = ?1 AND live = 0 AND cited = 0${mine}`).bind(...args),
  ];
};

async function split(format: KnowledgeFormat, content: string, title: string) {
  const passages = (await passagesOf(format, content, title)).map((p) => ({ id: newId("passage"), ...p }));
  if (passages.length === 0) throw new ProblemError(problem(422, "the document has no text to index", [{ path: "body.content", message: "the document has no text to index" }]));
  return passages;
}

export async function createDocument(db: D1Database, accountId: string, input: CreateKnowledgeDocument, now: number): Promise<KnowledgeDocument> {
  const count = (await db.prepare("SELECT count(*) AS n FROM knowledge_documents WHERE account_id = ?").bind(accountId).first<{ n: number }>())?.n ?? 0;
  if (count >= LIMITS.knowledgeDocuments) throw new ProblemError(problem(422, `a knowledge base holds at most ${LIMITS.knowledgeDocuments} documents`));
  const format = input.format ?? "text";
  const passages = await split(format, input.content, input.title);
  const row: DocRow = { id: newId("knowledge"), title: input.title, topic: input.topic ?? null, format, content: input.content, version: 1, passage_count: passages.length, revision: crypto.randomUUID(), created_at: now, updated_at: now };
  await db.batch([
    numberAccount(db, accountId),
    db
      .prepare("INSERT INTO knowledge_documents (id, account_id, title, topic, format, content, version, passage_count, revision, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(row.id, accountId, row.title, row.topic, row.format, row.content, row.version, row.passage_count, row.revision, row.created_at, row.updated_at),
    insertPassages(db, accountId, row.id, 1, passages, row.revision),
  ]);
  return renderDoc(row);
}

async function documentRow(db: D1Database, accountId: string, id: string): Promise<DocRow> {
  const row = await db.prepare("SELECT * FROM knowledge_documents WHERE id = ? AND account_id = ?").bind(id, accountId).first<DocRow>();
  if (!row) throw fail.notFound("document");
  return row;
}

/** A change of title, format or content is a new version (new passages; the old ones retired); a topic alone is not. */
export async function updateDocument(db: D1Database, accountId: string, id: string, patch: UpdateKnowledgeDocument, now: number): Promise<KnowledgeDocument> {
  const cur = await documentRow(db, accountId, id);
  const next: DocRow = { ...cur, title: patch.title ?? cur.title, format: patch.format ?? cur.format, content: patch.content ?? cur.content, topic: patch.topic === undefined ? cur.topic : patch.topic, revision: crypto.randomUUID(), updated_at: now };
  const reindex = next.title !== cur.title || next.format !== cur.format || next.content !== cur.content;
  const statements: D1PreparedStatement[] = [];
  if (reindex) {
    const passages = await split(next.format, next.content, next.title);
    next.version = cur.version + 1;
    next.passage_count = passages.length;
    statements.push(...retire(db, id, next.revision), insertPassages(db, accountId, id, next.version, passages, next.revision));
  }
  // Guarded by the revision read: of two concurrent updates, the second changes nothing and is told so.
  const write = db
    .prepare("UPDATE knowledge_documents SET title = ?, topic = ?, format = ?, content = ?, version = ?, passage_count = ?, revision = ?, updated_at = ? WHERE id = ? AND account_id = ? AND revision = ?")
    .bind(next.title, next.topic, next.format, next.content, next.version, next.passage_count, next.revision, now, id, accountId, cur.revision);
  if (!reindex) {
    const res = await write.run();
    if (res.meta.changes === 0) throw fail.conflict("the document changed meanwhile; read it again and retry");
    return renderDoc(next);
  }
  const results = await db.batch([write, ...statements]);
  if (results[0]!.meta.changes === 0) throw fail.conflict("the document changed meanwhile; read it again and retry");
  return renderDoc(next);
}

export async function deleteDocument(db: D1Database, accountId: string, id: string): Promise<void> {
  await documentRow(db, accountId, id);
  await db.batch([...retire(db, id), db.prepare("DELETE FROM knowledge_documents WHERE id = ? AND account_id = ?").bind(id, accountId)]);
}

export async function getDocument(db: D1Database, accountId: string, id: string): Promise<KnowledgeDocument & { passages: KnowledgePassage[] }> {
  const row = await documentRow(db, accountId, id);
  const { results } = await db.prepare("SELECT id, document_id, version, position, heading, body, live FROM knowledge_passages WHERE document_id = ? AND version = ? ORDER BY position").bind(id, row.version).all<PassageRow>();
  return { ...renderDoc(row), passages: results.map(renderPassage) };
}

/** Documents by id (ULIDs: creation order), after the cursor's id. */
export async function listDocuments(db: D1Database, accountId: string, after: string | null, limit: number): Promise<{ data: KnowledgeDocument[]; next: string | null }> {
  const { results } = await db.prepare("SELECT * FROM knowledge_documents WHERE account_id = ? AND id > ? ORDER BY id LIMIT ?").bind(accountId, after ?? "", limit + 1).all<DocRow>();
  const data = results.slice(0, limit).map(renderDoc);
  return { data, next: results.length > limit ? data.at(-1)!.id : null };
}

/** A passage by id, live or retired (what a draft cited stays readable). */
export async function getPassage(db: D1Database, accountId: string, id: string): Promise<KnowledgePassage> {
  const row = await db.prepare("SELECT id, document_id, version, position, heading, body, live FROM knowledge_passages WHERE id = ? AND account_id = ?").bind(id, accountId).first<PassageRow>();
  if (!row) throw fail.notFound("passage");
  return renderPassage(row);
}

/** Passages a draft cites are kept when their document changes. */
export async function markCited(db: D1Database, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.prepare("UPDATE knowledge_passages SET cited = 1 WHERE id IN (SELECT value FROM json_each(?)) AND cited = 0").bind(JSON.stringify(ids)).run();
}
