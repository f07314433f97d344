import { added, renamed, VersionChange } from '@kwik/versioning';

/**
 * API v2 of posts (DEMO.md "Posts"): the text is called `content` instead of `body`, and posts
 * gain a read-only `excerpt`. The controller, DTOs and shape are written for v2 only; v1 clients
 * are served through this change (requests renamed up, responses renamed down and the excerpt
 * left out, shaped-list parameters such as `fields=body` renamed too).
 */
export class ContentReplacesBody extends VersionChange {
  readonly version = '2';
  readonly description = 'Posts: `body` is renamed to `content`, and posts gain a read-only `excerpt`.';
  readonly routes = ['/api/posts', '/api/posts/:id', '/api/posts/bulk'];
  override readonly fields = [renamed('body', 'content'), added('excerpt')];
}
