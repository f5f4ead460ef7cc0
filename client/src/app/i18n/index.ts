import { createI18n } from 'vue-i18n';
import en from './en';
import zhCN from './zh-CN';
import { mergeAreas } from './areas';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const STORAGE_KEY = 'citytwin.locale';

/** ?lang= wins, then the user's last choice, then the browser; Chinese is the default. */
function initialLocale(): Locale {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  const stored = localStorage.getItem(STORAGE_KEY);
  for (const candidate of [fromUrl, stored]) {
    if (candidate && (LOCALES as readonly string[]).includes(candidate)) return candidate as Locale;
  }
  return navigator.language.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'en',
  messages: { 'zh-CN': mergeAreas(zhCN, 'zh-CN'), en: mergeAreas(en, 'en') },
  datetimeFormats: {
    'zh-CN': { time: { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false } },
    en: { time: { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false } },
  },
});

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}
