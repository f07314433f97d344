/** Options of `DataModule.forRoot()` / `forRootAsync()`. */
export interface DataModuleOptions {
  /**
   * Secret signing the list cursors (HMAC-SHA256), at least 32 characters. Rotating it invalidates
   * cursors in flight (clients get a 400 and restart from the first page).
   * @default KwikConfig.APP_SECRET; outside production a random per-process secret when that is unset
   */
  secret?: string;
  /** Most rows one CSV export writes; the export ends there. @default 1000000 */
  csvMaxRows?: number;
}
