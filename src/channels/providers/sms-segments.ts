/**
 * SMS segment counts, by the rules Twilio bills by (its message-segment-calculator): GSM-7 when
 * every character is in the GSM 03.38 basic or extension table, else UCS-2 for the whole message.
 * DESIGN suggests the `sms-segments-calculator` package; it is not installed here, and the rules
 * are small enough to own, checked against every case of test/vectors/sms_segments.json.
 */

/** GSM 03.38 default alphabet, one septet each (0x1B, the escape, excluded). */
const GSM_BASIC = new Set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà");
/** The extension table: two septets each (escape + code). */
const GSM_EXTENSION = new Set("\f^{}\\[~]|€");

/** A single-part SMS carries 140 octets; a multipart one loses 6 to the concatenation header. */
const LIMITS = {
  "GSM-7": { single: 160, multipart: 153 },
  "UCS-2": { single: 70, multipart: 67 },
} as const;

export interface SmsSegments {
  encoding: "GSM-7" | "UCS-2";
  segments: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) in each segment. */
  parts: number[];
}

/** Each character's cost, or null when one of them is not GSM-7. */
function gsmCosts(chars: string[]): number[] | null {
  const costs: number[] = [];
  for (const c of chars) {
    if (GSM_BASIC.has(c)) costs.push(1);
    else if (GSM_EXTENSION.has(c)) costs.push(2);
    else return null;
  }
  return costs;
}

/**
 * The segments `body` goes out in. Characters are whole code points, so an escape pair or a
 * surrogate pair is never split across segments: one that does not fit starts the next segment.
 * An empty body is one empty segment, as providers bill it.
 */
export function smsSegments(body: string): SmsSegments {
  const chars = [...body];
  const gsm = gsmCosts(chars);
  const encoding = gsm ? "GSM-7" : "UCS-2";
  const costs = gsm ?? chars.map((c) => c.length);
  const total = costs.reduce((a, b) => a + b, 0);
  const limit = LIMITS[encoding];
  if (total <= limit.single) return { encoding, segments: 1, parts: [total] };
  const parts = [0];
  for (const cost of costs) {
    if ((parts[parts.length - 1] ?? 0) + cost > limit.multipart) parts.push(0);
    parts[parts.length - 1] = (parts[parts.length - 1] ?? 0) + cost;
  }
  return { encoding, segments: parts.length, parts };
}
