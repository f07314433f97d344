import type { Comment, Post } from '../entities/index.js';
import { POST_EXCERPT_LENGTH } from '../entities/post.entity.js';

/**
 * A post as the API returns it, in the latest version (v2: `content`, `excerpt`); v1 clients get
 * `body` through `ContentReplacesBody` (DEMO.md's contract).
 */
export interface PostView {
  id: string;
  title: string;
  content: string;
  excerpt: string;
  status: Post['status'];
  tags: string[];
  views: number;
  publishedAt: string | null;
  authorId: string;
  author: { id: string; email: string; displayName: string } | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export function toPostView(post: Post): PostView {
  return {
    id: post.id,
    title: post.title,
    content: post.content,
    // PostgreSQL's left() counts characters (code points), as Array.from does.
    excerpt: post.excerpt ?? Array.from(post.content).slice(0, POST_EXCERPT_LENGTH).join(''),
    status: post.status,
    tags: post.tags,
    views: post.views,
    publishedAt: post.publishedAt ? post.publishedAt.toISOString() : null,
    authorId: post.authorId,
    author: post.author
      ? { id: post.author.id, email: post.author.email, displayName: post.author.displayName }
      : null,
    createdAt: post.createdAt.toISOString(),
    updatedAt: post.updatedAt.toISOString(),
    version: post.version,
  };
}

export function toCommentView(comment: Comment): Record<string, unknown> {
  return {
    id: comment.id,
    postId: comment.postId,
    body: comment.body,
    authorId: comment.authorId,
    author: comment.author
      ? { id: comment.author.id, email: comment.author.email, displayName: comment.author.displayName }
      : null,
    createdAt: comment.createdAt.toISOString(),
    updatedAt: comment.updatedAt.toISOString(),
    version: comment.version,
  };
}
