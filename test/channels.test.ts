import { describe, expect, it } from "vitest";
import {
  CHANNELS,
  checkAddress,
  EXTERNAL_CHANNELS,
  isExternal,
  messageChannel,
  normalizeRef,
} from "../src/channels/registry";

const PHONE = "address must be an E.164 phone number such as +14155550100 on channel";

describe("the channel list", () => {
  it("has every channel, and every one but chat is external", () => {
    expect(CHANNELS).toEqual(["sms", "mms", "whatsapp", "messenger", "email", "chat"]);
    expect(EXTERNAL_CHANNELS).toEqual(["sms", "mms", "whatsapp", "messenger", "email"]);
    expect(CHANNELS.filter(isExternal)).toEqual(EXTERNAL_CHANNELS);
    expect(isExternal("chat")).toBe(false);
  });
});

describe("checkAddress on phone channels", () => {
  it("takes E.164 only: a formatted number is refused, so each number has one spelling", () => {
    for (const channel of ["sms", "mms", "whatsapp"] as const) {
      expect(checkAddress(channel, "+14155550100")).toEqual({ ok: true, address: "+14155550100" });
      for (const raw of ["+1 (415) 555-0100", "+1 415 555 0100", "+1-415-555-0100", "+1.415.555.0100"]) {
        expect(checkAddress(channel, raw), raw).toEqual({ ok: false, message: `${PHONE} ${channel}` });
      }
    }
    expect(checkAddress("whatsapp", "+5511912345678")).toEqual({ ok: true, address: "+5511912345678" });
  });

  it("accepts every number the test suites use", () => {
    // isPossible() rather than isValid(): the UK's drama range 07700 900xxx is not "valid" yet exists.
    for (const raw of ["+14155550100", "+14155550199", "+447700900123", "+5511912345678"]) {
      expect(checkAddress("sms", raw), raw).toEqual({ ok: true, address: raw });
    }
  });

  it("refuses numbers without a leading + (there is no default country)", () => {
    for (const raw of ["4155550100", "14155550100", "(415) 555-0100", "0044 7700 900123"]) {
      expect(checkAddress("sms", raw), raw).toEqual({ ok: false, message: `${PHONE} sms` });
    }
  });

  it("refuses impossible numbers, extensions, letters and other channels' addresses", () => {
    const bad = [
      "+0155550100", // no country code 0
      "+999123456789", // no country code 999
      "+12345", // too short for +1
      "+1415555010", // one digit short
      "+141555501000", // one digit long
      "+1 415 555 0100 ext. 5",
      "+14155550100x2",
      "+1-800-FLOWERS",
      "++14155550100",
      "+",
      "pat@example.com",
      " +14155550100",
    ];
    for (const raw of bad) {
      expect(checkAddress("whatsapp", raw), raw).toEqual({ ok: false, message: `${PHONE} whatsapp` });
    }
  });
});

describe("checkAddress on messenger and email", () => {
  it("takes a page-scoped id of 5 to 32 digits as it is", () => {
    expect(checkAddress("messenger", "12345")).toEqual({ ok: true, address: "12345" });
    expect(checkAddress("messenger", "1234567890123456")).toEqual({ ok: true, address: "1234567890123456" });
    expect(checkAddress("messenger", "1".repeat(32))).toEqual({ ok: true, address: "1".repeat(32) });
    for (const raw of ["1234", "1".repeat(33), "abc123", "+14155550100", "12 345", ""]) {
      expect(checkAddress("messenger", raw), raw).toEqual({
        ok: false,
        message: "address must be a Messenger page-scoped id (digits) on channel messenger",
      });
    }
  });

  it("lowercases an email address, local part included", () => {
    expect(checkAddress("email", "pat@example.com")).toEqual({ ok: true, address: "pat@example.com" });
    expect(checkAddress("email", "Cust@Example.COM")).toEqual({ ok: true, address: "cust@example.com" });
    expect(checkAddress("email", "first.last+tag@mail.example.co.uk")).toEqual({ ok: true, address: "first.last+tag@mail.example.co.uk" });
  });

  it("refuses what is not an email address", () => {
    for (const raw of ["not-an-email", "a b@example.com", "pat@example", "@example.com", "pat@", "pat@@example.com", "pat@example..com", "pat@.example.com", "pat@example.com."]) {
      expect(checkAddress("email", raw), raw).toEqual({ ok: false, message: "address must be an email address on channel email" });
    }
  });
});

describe("normalizeRef", () => {
  it("leaves participant ids and chat identities as they are", () => {
    for (const ref of ["part_01JD5V7J3E9Q8M2K4N6P0R1S2T", "agent-ada", "Agent-Ada", "1234567890123456", "+not-a-phone", "+12345"]) {
      expect(normalizeRef(ref), ref).toBe(ref);
    }
  });

  it("lowercases emails and turns + phone numbers into E.164", () => {
    expect(normalizeRef("Cust@Example.com")).toBe("cust@example.com");
    expect(normalizeRef("+1 (415) 555-0100")).toBe("+14155550100");
    expect(normalizeRef("+14155550100")).toBe("+14155550100");
    // No + and no default country: not read as a phone number.
    expect(normalizeRef("4155550100")).toBe("4155550100");
  });
});

describe("messageChannel", () => {
  it("is the first requested channel, else an external author's, else the first recipient's, else the author's, the conversation's, or chat", () => {
    expect(messageChannel(undefined, { channel: "chat" }, null, "whatsapp")).toBe("whatsapp");
    expect(messageChannel(undefined, undefined, "sms", "email")).toBe("email");
    expect(messageChannel(undefined, { channel: "sms" }, null, "email")).toBe("sms");
    expect(messageChannel(["chat"], { channel: "chat" }, null, "email")).toBe("chat");
    expect(messageChannel(["whatsapp", "sms"], { channel: "email" }, "sms")).toBe("whatsapp");
    expect(messageChannel(undefined, { channel: "email" }, "sms")).toBe("email");
    expect(messageChannel([], { channel: "email" }, "sms")).toBe("email");
    expect(messageChannel(undefined, { channel: "chat" }, "sms")).toBe("chat");
    expect(messageChannel(undefined, undefined, "sms")).toBe("sms");
    expect(messageChannel(undefined, undefined, null)).toBe("chat");
  });
});

