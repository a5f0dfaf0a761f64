/**
 * The base direction of a piece of user text, as HTML's `dir="auto"` decides it: from its
 * first strong character (a letter). Right-to-left scripts (Hebrew, Arabic, Syriac, Thaana,
 * N'Ko, ...) give "rtl"; any other letter gives "ltr"; text without letters (digits,
 * punctuation) is "ltr". Used to draw transcriptions on canvases the way the text field
 * shows them (the canvas then applies the bidirectional algorithm for mixed text).
 */

const LETTER = /\p{L}/u;
const RTL_LETTER =
  /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}\p{Script=Mende_Kikakui}\p{Script=Imperial_Aramaic}\p{Script=Phoenician}\p{Script=Old_South_Arabian}\p{Script=Avestan}\p{Script=Yezidi}]/u;

export type Direction = "ltr" | "rtl";

/** The direction of the first letter of `text`; null when it has no letter. */
export function strongDirection(text: string): Direction | null {
  for (const ch of text) {
    if (LETTER.test(ch)) return RTL_LETTER.test(ch) ? "rtl" : "ltr";
  }
  return null;
}

/** "rtl" when the first letter of `text` is of a right-to-left script, else "ltr". */
export function baseDirection(text: string): Direction {
  return strongDirection(text) ?? "ltr";
}
