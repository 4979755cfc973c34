/**
 * Words reduced to comparable terms for the offline answerer: lower case, stop words dropped,
 * a light suffix stripping (no dictionary), and a few synonyms folded onto one term so that a
 * visitor's wording meets the article's ("sign in" / "log in", "bill" / "invoice").
 */

const STOP_WORDS = new Set(
  (
    "a an and are as at be been but by can could do does did doing for from had has have how i if in into is it its " +
    "just me my mine no not of on or our out so some than that the their them then there these they this those to too " +
    "up us was we were what when where which while who whom why will with would you your yours am any all also " +
    "get got keep want need please hi hello thanks thank there's i'm it's can't don't doesn't isn't one " +
    "still now again very really should shall may might must let about after before over under more most"
  ).split(" "),
);

/** Folded after stemming: each listed term counts as the one it maps to. */
const SYNONYMS: Record<string, string> = {
  login: "sign",
  log: "sign",
  logon: "sign",
  signin: "sign",
  bill: "invoice",
  receipt: "invoice",
  tax: "vat",
  money: "refund",
  reimburs: "refund",
  repay: "refund",
  charg: "payment",
  pay: "payment",
  card: "payment",
  subscript: "plan",
  tier: "plan",
  membership: "plan",
  erase: "delet",
  remov: "delet",
  trash: "delet",
  bin: "delet",
  recov: "restor",
  undelet: "restor",
  undo: "restor",
  previou: "version",
  old: "version",
  earlier: "version",
  yesterda: "version",
  overwrit: "version",
  cam: "arriv",
  receiv: "arriv",
  inbox: "spam",
  junk: "spam",
  passcod: "password",
  passphras: "password",
  forgot: "forgotten",
  forget: "forgotten",
  "2fa": "two-factor",
  mfa: "two-factor",
  authent: "two-factor",
  otp: "two-factor",
  phone: "two-factor",
  collaborat: "share",
  colleagu: "share",
  invit: "share",
  link: "share",
  setup: "install",
  instal: "install",
  laptop: "computer",
  pc: "computer",
  mac: "computer",
  desktop: "computer",
  firewal: "firewall",
  vpn: "proxy",
  network: "proxy",
  corporat: "proxy",
  offic: "proxy",
  token: "api",
  integrat: "api",
  automat: "api",
  webhook: "api",
  stop: "stuck",
  stall: "stuck",
  froz: "stuck",
  "won't": "stuck",
  machin: "computer",
  devic: "computer",
  upload: "sync",
  synchron: "sync",
  syncing: "sync",
  error: "warn",
  broken: "warn",
  conflict: "conflict",
  duplicat: "conflict",
  copi: "conflict",
  selectiv: "folder",
  disk: "space",
  storag: "space",
  quota: "space",
  export: "export",
  gdpr: "privacy",
  close: "delet",
  cancel: "cancel",
  downgrad: "plan",
  upgrad: "plan",
};

const SUFFIXES = ["ations", "ation", "ments", "ment", "ingly", "ings", "ing", "ness", "ies", "ied", "ers", "er", "ed", "es", "ly", "s", "y", "e"];

/** Strips one common English suffix, keeping at least three letters of stem. */
export function stem(word: string): string {
  for (const suffix of SUFFIXES) {
    if (word.length - suffix.length >= 3 && word.endsWith(suffix)) {
      const base = word.slice(0, -suffix.length);
      // "stopped" and "stop" meet: a doubled final consonant left by the suffix is one letter.
      return /([^aeiou])\1$/.test(base) && !base.endsWith("ss") && !base.endsWith("ll") ? base.slice(0, -1) : base;
    }
  }
  return word;
}

/** The terms of a text, in order, repeats kept (for counting). */
export function termsOf(text: string): string[] {
  const words = text.normalize("NFKC").toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'-]*/gu) ?? [];
  const terms: string[] = [];
  for (const raw of words) {
    const word = raw.replace(/'s$/, "").replace(/^-+|-+$/g, "");
    if (word.length < 2 || STOP_WORDS.has(word)) continue;
    const stemmed = stem(word);
    terms.push(SYNONYMS[word] ?? SYNONYMS[stemmed] ?? stemmed);
  }
  return terms;
}

/** Each word of a question as typed, for retrieval through the full-text index (which does its own matching). */
export function searchWords(text: string, max: number): string[] {
  const words = text.normalize("NFKC").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const seen = new Set<string>();
  for (const word of words) {
    if (word.length < 3 || STOP_WORDS.has(word)) continue;
    seen.add(word.length > 5 ? stem(word) : word);
    if (seen.size >= max) break;
  }
  return [...seen];
}
