import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { validationHook } from "./http";

/** Every resource module builds its routes on one of these, so validation errors look alike. */
export function createRouter<E extends AppEnv = AppEnv>() {
  return new OpenAPIHono<E>({ strict: false, defaultHook: validationHook });
}
