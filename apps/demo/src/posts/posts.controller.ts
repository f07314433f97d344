import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Shape, type ShapedList, type ShapedQuery } from '@kwik/data';
import type { Post as PostEntity } from '../entities/index.js';
import { CreateCommentDto, CreatePostDto, PostIdParams, UpdatePostDto } from './dto/post.dto.js';
import { toCommentView, toPostView, type PostView } from './post.view.js';
import { PostShape } from './post.shape.js';
import { PostsService } from './posts.service.js';

@ApiTags('posts')
@Controller('api/posts')
export class PostsController {
  constructor(private readonly posts: PostsService) {}

  @Get()
  @ApiOkResponse({
    description:
      '`{ data: Post[], meta: { limit, nextCursor, prevCursor, total?, page? } }` with an RFC 8288 `Link` header; CSV with `format=csv` or `Accept: text/csv`',
  })
  async list(@Shape(PostShape) query: ShapedQuery): Promise<ShapedList<PostEntity>> {
    return this.posts.list(query);
  }

  @Get(':id')
  async get(@Param() { id }: PostIdParams): Promise<PostView> {
    return toPostView(await this.posts.get(id));
  }

  @Post()
  @ApiCreatedResponse({ description: 'The created post; `Location` points at it' })
  async create(
    @Body() dto: CreatePostDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PostView> {
    const post = await this.posts.create(dto);
    reply.header('location', `/api/posts/${post.id}`);
    return toPostView(post);
  }

  @Patch(':id')
  async update(@Param() { id }: PostIdParams, @Body() dto: UpdatePostDto): Promise<PostView> {
    return toPostView(await this.posts.update(id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@Param() { id }: PostIdParams): Promise<void> {
    await this.posts.remove(id);
  }

  @Get(':id/comments')
  async comments(@Param() { id }: PostIdParams): Promise<{ data: Record<string, unknown>[] }> {
    return { data: (await this.posts.listComments(id)).map(toCommentView) };
  }

  @Post(':id/comments')
  async addComment(
    @Param() { id }: PostIdParams,
    @Body() dto: CreateCommentDto,
  ): Promise<Record<string, unknown>> {
    return toCommentView(await this.posts.addComment(id, dto));
  }
}
