import { createRoute } from "@hono/zod-openapi";
import { page } from "../../contract/common";
import { SearchMessagesQuery, SearchResult } from "../../contract/search";
import { LIMITS } from "../../lib/limits";
import { jsonResponse, problemResponses } from "../http";

const tags = ["Search"];
const security = [{ ApiKey: [] }];

export const messages = createRoute({
  method: "get",
  path: "/v1/search/messages",
  tags,
  security,
  summary: "Search the account's messages, best match first",
  description:
    "Full text over the account's whole history, served from D1: a message sent a moment ago is findable once it is projected (typically tens of milliseconds), and a deleted message or conversation leaves the results in the same transaction that removes it from D1. " +
    "Results are ranked by BM25 computed from the account's own messages, each with the message, a highlighted snippet and its score. Filters combine (all must match). " +
    `A query matching more than ${LIMITS.searchRankedMatches} messages (after the filters) is ranked ${LIMITS.searchRankedMatches} matches at a time, newest block first: an older match, however good, comes after the newer block; paging goes on through every block, each match once, in full pages. ` +
    "`next_cursor` continues after the last row of the page as that row ranks when the next page is asked for, in the blocks its first page began: matches that arrive meanwhile are on a new first page. " +
    "A `contact_id` that is unknown, another account's or merged away is a 404 naming `query.contact_id`.",
  request: { query: SearchMessagesQuery },
  responses: { 200: jsonResponse(page(SearchResult), "A page of matches, best first"), ...problemResponses(400, 401, 404, 422) },
});
