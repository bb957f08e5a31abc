/**
 * Offline language detection for routing: the customer's language from what they wrote, as an ISO
 * 639-1 code, or null when the text does not say clearly enough (routing then takes any agent).
 *
 * Scripts that belong to one language (or one that routing treats as such) decide at once; Latin
 * text is scored by its most common function words in each language, which short chat messages do
 * contain ("hola, no puedo entrar a mi cuenta"), and which models of letter n-grams (franc and its
 * kin) get wrong on texts this short. A winner needs two hits and more than the runner-up.
 */
const SCRIPTS: [RegExp, string][] = [
  [/[\u3040-\u30ff]/u, "ja"], // kana before Han: Japanese mixes both
  [/[\uac00-\ud7af]/u, "ko"],
  [/[\u4e00-\u9fff]/u, "zh"],
  [/[\u0600-\u06ff]/u, "ar"],
  [/[\u0590-\u05ff]/u, "he"],
  [/[\u0400-\u04ff]/u, "ru"],
  [/[\u0370-\u03ff]/u, "el"],
  [/[\u0900-\u097f]/u, "hi"],
  [/[\u0e00-\u0e7f]/u, "th"],
];

const WORDS: Record<string, string[]> = {
  en: ["the", "and", "is", "are", "i", "my", "you", "to", "of", "it", "not", "can", "with", "have", "this", "what", "how", "please", "hello", "hi", "thanks", "order", "account", "help"],
  es: ["el", "la", "los", "las", "y", "es", "mi", "yo", "no", "de", "que", "en", "un", "una", "por", "para", "con", "hola", "gracias", "puedo", "cuenta", "pedido", "ayuda", "está", "quiero"],
  fr: ["le", "la", "les", "et", "est", "je", "mon", "ma", "ne", "pas", "de", "des", "que", "un", "une", "pour", "avec", "bonjour", "merci", "mes", "compte", "commande", "aide", "vous", "suis"],
  de: ["der", "die", "das", "und", "ist", "ich", "mein", "meine", "nicht", "zu", "ein", "eine", "mit", "für", "hallo", "danke", "bitte", "konto", "bestellung", "hilfe", "kann", "sie", "habe"],
  pt: ["o", "a", "os", "as", "e", "é", "eu", "meu", "minha", "não", "de", "que", "um", "uma", "para", "com", "olá", "obrigado", "obrigada", "conta", "pedido", "ajuda", "posso", "você"],
  it: ["il", "lo", "la", "gli", "e", "è", "io", "mio", "mia", "non", "di", "che", "un", "una", "per", "con", "ciao", "grazie", "conto", "ordine", "aiuto", "posso", "sono"],
  nl: ["de", "het", "een", "en", "is", "ik", "mijn", "niet", "van", "dat", "te", "met", "voor", "hallo", "dank", "bedankt", "account", "bestelling", "hulp", "kan", "je", "u"],
};

const INDEX = new Map<string, string[]>();
for (const [language, words] of Object.entries(WORDS)) {
  for (const word of words) INDEX.set(word, [...(INDEX.get(word) ?? []), language]);
}

export function detectLanguage(text: string): string | null {
  for (const [script, language] of SCRIPTS) if (script.test(text)) return language;
  const scores = new Map<string, number>();
  for (const word of text.toLowerCase().normalize("NFC").match(/\p{L}+/gu) ?? []) {
    for (const language of INDEX.get(word) ?? []) scores.set(language, (scores.get(language) ?? 0) + 1);
  }
  const [best, second] = [...scores].sort((a, b) => b[1] - a[1]);
  if (!best || best[1] < 2 || (second && second[1] >= best[1])) return null;
  return best[0];
}
