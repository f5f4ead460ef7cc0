/** A feature's UI strings, `{ en: {...}, 'zh-CN': {...} }`, as app/i18n/areas.ts merges them. */
export interface AreaMessages {
  en: Record<string, unknown>;
  'zh-CN': Record<string, unknown>;
}
