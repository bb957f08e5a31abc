// The console imports only types from the server's contract (through the SDK), but TypeScript still
// checks the files those types live in, and src/contract/common.ts imports src/lib/crypto.ts, which
// calls a method only the Workers runtime's SubtleCrypto has. Declared here so the console's DOM
// program accepts it; nothing of it reaches the bundle.
interface SubtleCrypto {
  timingSafeEqual(a: ArrayBuffer | ArrayBufferView, b: ArrayBuffer | ArrayBufferView): boolean;
}
