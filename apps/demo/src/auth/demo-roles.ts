import type { AuthRoleDefinition } from '@kwik/auth';

/** The demo's roles → permissions (DEMO.md "Auth"). */
export const DEMO_ROLES_PERMISSIONS: Record<string, AuthRoleDefinition> = {
  reader: { permissions: ['posts:read', 'comments:read'], description: 'Reads posts and comments' },
  author: {
    inherits: ['reader'],
    permissions: ['posts:create', 'posts:update:own', 'comments:create'],
    description: 'Writes posts and edits their own',
  },
  editor: {
    inherits: ['author'],
    permissions: ['posts:update', 'posts:publish', 'comments:moderate'],
    description: 'Edits and publishes any post',
  },
  admin: { permissions: ['*'], description: 'Everything, including tasks:manage and audit:read' },
};
