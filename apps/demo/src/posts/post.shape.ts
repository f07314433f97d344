import { defineShape } from '@kwik/data';
import { Post } from '../entities/index.js';

/** What clients may do with `GET /api/posts` (DEMO.md "Query syntax for shaped lists"). */
export const PostShape = defineShape(Post, {
  name: 'posts',
  fields: [
    'id',
    'title',
    'content',
    'excerpt',
    'status',
    'tags',
    'views',
    'publishedAt',
    'authorId',
    'author.id',
    'author.email',
    'author.displayName',
    'createdAt',
    'updatedAt',
    'version',
  ],
  filter: {
    status: 'equality',
    views: 'comparable',
    publishedAt: 'comparable',
    createdAt: 'comparable',
    updatedAt: 'comparable',
    title: 'text',
    tags: 'all',
    authorId: 'equality',
    'author.email': 'text',
    'author.displayName': 'text',
  },
  sort: ['publishedAt', 'createdAt', 'updatedAt', 'title', 'views', 'status'],
  defaultSort: '-createdAt',
  search: { fields: { title: 'A', content: 'B' }, vectorColumn: 'searchVector', config: 'english' },
  offset: true,
});
