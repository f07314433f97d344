import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootSecurityApp, type BootedApp } from './fixtures/boot.js';

const CHROMIUM = process.env.KWIK_TEST_CHROMIUM ?? '/usr/bin/chromium';

interface DocsVisit {
  operations: string[];
  violations: string[];
  cspConsoleErrors: string[];
  bodyMargin: string;
}

/** Opens `/docs` in headless Chromium and reports what rendered and what the CSP blocked. */
async function visitDocs(browser: Browser, baseUrl: string, expectRendered: boolean): Promise<DocsVisit> {
  const page = await browser.newPage();
  const cspConsoleErrors: string[] = [];
  page.on('console', (message) => {
    if (/content security policy/i.test(message.text())) cspConsoleErrors.push(message.text());
  });
  // Runs before any page script, outside the page's CSP (injected by the browser itself). Page
  // code is passed as strings: this file is type-checked without the DOM library.
  await page.addInitScript({
    content: `window.kwikViolations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        window.kwikViolations.push(e.violatedDirective + ' ' + e.blockedURI));`,
  });
  try {
    await page.goto(`${baseUrl}/docs`, { waitUntil: 'load' });
    // Swagger UI renders the operations once its scripts ran (a blocked script never will; its
    // violation is reported while the page loads, so there is nothing to wait for).
    // On failure the assertions below say why (violations), rather than a bare timeout.
    if (expectRendered)
      await page.waitForSelector('.opblock-summary-path', { timeout: 10_000 }).catch(() => undefined);
    return {
      operations: await page.$$eval('.opblock-summary-path', (nodes) =>
        nodes.map((n) => n.textContent ?? ''),
      ),
      violations: await page.evaluate<string[]>('window.kwikViolations'),
      cspConsoleErrors,
      bodyMargin: await page.evaluate<string>('getComputedStyle(document.body).margin'),
    };
  } finally {
    await page.close();
  }
}

describe('the /docs UI under the security headers, in headless Chromium', () => {
  let browser: Browser;
  let app: BootedApp;
  let strict: BootedApp;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(
        `Chromium is needed for this test and was not found at ${CHROMIUM}: apt-get install -y chromium (or set KWIK_TEST_CHROMIUM to its path).`,
      );
    [browser, app, strict] = await Promise.all([
      chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      }),
      bootSecurityApp(),
      // The control: a CSP without 'unsafe-inline' styles and with scripts refused entirely.
      bootSecurityApp({
        security: {
          headers: {
            contentSecurityPolicy: { directives: { 'script-src': ["'none'"], 'style-src': ["'self'"] } },
          },
        },
      }),
    ]);
  });
  afterAll(() => Promise.all([browser?.close(), app?.close(), strict?.close()]));

  it("renders every operation with Kwik's default CSP, and the browser reports no violation", async () => {
    const visit = await visitDocs(browser, app.baseUrl, true);
    expect(visit.violations).toEqual([]);
    expect(visit.cspConsoleErrors).toEqual([]);
    expect(visit.operations).toEqual(expect.arrayContaining(['/things', '/things/{id}', '/health/live']));
    expect(visit.bodyMargin).toBe('0px'); // the page's inline <style> applied
  });

  it('the check is real: a CSP refusing scripts and inline styles blanks the UI and is reported', async () => {
    const visit = await visitDocs(browser, strict.baseUrl, false);
    expect(visit.operations).toEqual([]);
    expect(visit.violations.some((v) => v.startsWith('script-src'))).toBe(true);
    expect(visit.violations.some((v) => v.startsWith('style-src'))).toBe(true);
  });
});
