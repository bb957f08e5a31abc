import { franc } from "franc-min";

/**
 * The language of a customer's text, detected offline (franc-min: trigram profiles of 82
 * languages), as ISO 639-1 where the language has a code there, else ISO 639-3; null when the
 * text is too short or too mixed to tell. Exported for routing (agents' languages).
 */
const ISO1: Record<string, string> = {
  eng: "en", spa: "es", fra: "fr", deu: "de", por: "pt", ita: "it", nld: "nl", swe: "sv", dan: "da", nob: "nb", fin: "fi",
  pol: "pl", ces: "cs", slk: "sk", hun: "hu", ron: "ro", bul: "bg", rus: "ru", ukr: "uk", srp: "sr", hrv: "hr", ell: "el",
  tur: "tr", arb: "ar", heb: "he", pes: "fa", urd: "ur", hin: "hi", ben: "bn", tam: "ta", tel: "te", mar: "mr", guj: "gu",
  cmn: "zh", jpn: "ja", kor: "ko", vie: "vi", tha: "th", ind: "id", zlm: "ms", tgl: "tl", swh: "sw", amh: "am", hau: "ha",
  yor: "yo", ibo: "ig", zul: "zu", xho: "xh", som: "so", uzb: "uz", kaz: "kk", aze: "az",
};

/** Below this many characters franc's guess is mostly noise. */
const MIN_CHARS = 12;

export function detectLanguage(text: string): string | null {
  const code = franc(text, { minLength: MIN_CHARS });
  if (code === "und") return null;
  return ISO1[code] ?? code;
}
