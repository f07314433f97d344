import { ApiProperty } from '@nestjs/swagger';
import { POST_STATUSES, type Comment, type Post } from '../entities/index.js';
import { POST_EXCERPT_LENGTH } from '../entities/post.entity.js';

/**
 * A post's author as the API returns it. Each property is optional in the document: a list with
 * `fields=author.email` carries only that one (an item read carries all three).
 */
export class PostAuthorView {
  @ApiProperty({ format: 'uuid', required: false })
  id!: string;

  @ApiProperty({ required: false })
  email!: string;

  @ApiProperty({ required: false })
  displayName!: string;
}

/**
 * A post as the API returns it, in the latest version (v2: `content`, `excerpt`); v1 clients get
 * `body` through `ContentReplacesBody` (DEMO.md's contract). Also the OpenAPI description of the
 * posts resource's responses (`view`).
 */
export class PostView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ maxLength: 200 })
  title!: string;

  @ApiProperty({ description: 'The text of the post (API v1: `body`).' })
  content!: string;

  @ApiProperty({ description: `The first ${POST_EXCERPT_LENGTH} characters of the content (API v2).` })
  excerpt!: string;

  @ApiProperty({ enum: POST_STATUSES })
  status!: Post['status'];

  @ApiProperty({ type: [String] })
  tags!: string[];

  @ApiProperty({ type: 'integer' })
  views!: number;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  publishedAt!: string | null;

  @ApiProperty({ format: 'uuid' })
  authorId!: string;

  @ApiProperty({ type: PostAuthorView, nullable: true })
  author!: PostAuthorView | null;

  @ApiProperty({ type: 'string', format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: 'string', format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ type: 'integer' })
  version!: number;
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
