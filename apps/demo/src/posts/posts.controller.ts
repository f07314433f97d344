import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AccessControl, ApiAuthenticated, HasPermission } from '@kwik/auth';
import { Cache, CacheEvict } from '@kwik/cache';
import { CrudController } from '@kwik/data';
import { Post as PostEntity } from '../entities/index.js';
import { CommentsService } from './comments.service.js';
import { CreateCommentDto, CreatePostDto, PostIdParams, UpdatePostDto } from './dto/post.dto.js';
import { PostView, toCommentView, toPostView } from './post.view.js';
import { PostShape } from './post.shape.js';

/**
 * Reads are cached per tenant, per user (what a user may read depends on their permissions,
 * checked inside the CRUD hooks) and per API version; every write evicts the `posts` tag, on every instance.
 */
const CACHED_READ = Cache({ ttl: '30s', vary: ['tenant', 'user', 'version'], tags: ['posts'] });
const EVICTS_POSTS = CacheEvict({ tags: ['posts'] });

/**
 * `/api/posts` (DEMO.md "Posts"): the shaped list, item CRUD with ETags and If-Match, and bulk
 * writes from `@kwik/data`'s CRUD resource. The tenant filter and the tenant / author of new posts
 * come from the global `DemoCrudHook`; the publishing rule lives here. Comments are hand-written.
 */
@ApiTags('posts')
@ApiAuthenticated()
@Controller('api/posts')
export class PostsController extends CrudController({
  entity: PostEntity,
  shape: PostShape,
  create: CreatePostDto,
  update: UpdatePostDto,
  view: PostView,
  relations: ['author'],
  alias: 'post',
  bulk: { maxItems: 100 },
  decorators: {
    list: [CACHED_READ],
    get: [CACHED_READ],
    create: [EVICTS_POSTS],
    update: [EVICTS_POSTS],
    delete: [EVICTS_POSTS],
    bulk: [EVICTS_POSTS],
  },
}) {
  constructor(
    private readonly comments: CommentsService,
    private readonly access: AccessControl,
  ) {
    super();
  }

  protected override async prepareCreate(post: PostEntity, dto: CreatePostDto): Promise<void> {
    if (dto.status === 'published') await this.access.assert('posts:publish');
    post.status = dto.status ?? 'draft';
    post.tags = dto.tags ?? [];
    post.publishedAt = post.status === 'published' ? new Date() : null;
  }

  protected override async prepareUpdate(post: PostEntity, dto: UpdatePostDto): Promise<void> {
    if (dto.status === 'published') await this.access.assert('posts:publish');
    if (dto.status === 'published' && !post.publishedAt) post.publishedAt = new Date();
  }

  protected override toView(post: PostEntity): PostView {
    return toPostView(post);
  }

  @Get(':id/comments')
  @HasPermission('comments:read')
  @ApiOkResponse({ description: '`{ data: Comment[] }`, oldest first' })
  async listComments(@Param() { id }: PostIdParams): Promise<{ data: Record<string, unknown>[] }> {
    const post = await this.findOne(id, 'get');
    return { data: (await this.comments.list(post)).map(toCommentView) };
  }

  @Post(':id/comments')
  @HasPermission('comments:create')
  @ApiCreatedResponse({ description: 'The new comment' })
  async addComment(
    @Param() { id }: PostIdParams,
    @Body() dto: CreateCommentDto,
  ): Promise<Record<string, unknown>> {
    return toCommentView(await this.comments.add(await this.findOne(id, 'get'), dto));
  }
}
