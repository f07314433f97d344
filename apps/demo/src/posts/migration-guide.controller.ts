import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public, TenantOptional } from '@kwik/core';

const GUIDE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Kwik demo: moving from API v1 to v2</title></head>
<body>
<h1>Moving from API v1 to v2</h1>
<p>Version 1 is deprecated and stops working on 30 June 2027 (the <code>Sunset</code> header).</p>
<ol>
<li>Ask for version 2: <code>Accept: application/vnd.kwik.v2+json</code>.</li>
<li>Posts call their text <code>content</code> instead of <code>body</code>, in responses, request bodies and
the list parameters <code>fields</code>, <code>sort</code> and <code>filter[…]</code>.</li>
<li>Posts gain a read-only <code>excerpt</code> (the first 160 characters of the content).</li>
</ol>
<p>The v2 document: <a href="/docs?urls.primaryName=v2">/docs (v2)</a>, JSON at <a href="/docs/v2/json">/docs/v2/json</a>.</p>
</body></html>
`;

/** The page v1's `Link: <…>; rel="deprecation"` points to. */
@ApiExcludeController()
@Public()
@TenantOptional()
@Controller('docs/migrations')
export class MigrationGuideController {
  @Get('v2')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'public, max-age=3600')
  v2(): string {
    return GUIDE;
  }
}
