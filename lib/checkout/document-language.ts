// The <html lang> of a page shown to a customer. It follows the customer's locale (the one amounts are
// formatted with) as far as the words on the page do: the pages are written in English only, so an
// "en-GB" customer gets lang="en-GB", while a "de-DE" customer gets "en" — declaring English text as
// German would make screen readers read it with German pronunciation (WCAG 3.1.1). The amounts formatted
// for the customer carry their own lang (WCAG 3.1.2). Add a language here when its translation lands.
export const UI_LANGUAGES = ["en"] as const;
const FALLBACK = "en";

export function documentLanguage(locale: string | null | undefined): string {
  if (!locale) return FALLBACK;
  try {
    const [canonical] = Intl.getCanonicalLocales(locale);
    if (!canonical) return FALLBACK;
    const language = new Intl.Locale(canonical).language;
    return (UI_LANGUAGES as readonly string[]).includes(language) ? canonical : FALLBACK;
  } catch {
    return FALLBACK; // not a well-formed language tag
  }
}
