import { en, es, type Strings } from './strings';

export type Locale = 'en' | 'es';

/**
 * The app's locale from `my.getSystemInfoSync().language` (`'es'`, `'es-MX'`, `'es_ES'`, ...):
 * Spanish for any Spanish variant, English otherwise.
 */
export function localeFromLanguage(language: unknown): Locale {
  return typeof language === 'string' && /^es(?:$|[-_])/i.test(language.trim()) ? 'es' : 'en';
}

export function stringsFor(locale: Locale): Strings {
  return locale === 'es' ? es : en;
}

/** Fills `{name}` placeholders; an unknown placeholder stays visible rather than becoming "undefined". */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole,
  );
}
