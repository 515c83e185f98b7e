/**
 * The post page group (issue 9): one post with its revisions, attempts,
 * approvals and staff actions, the actions themselves (skip, retry, posted by
 * hand, not posted), its card images, and the list of an office's posts by
 * state that the dashboard links to (post-routes.ts).
 */
import path from 'node:path';
import type { ConsolePage } from '../../console-page';
import { registerPageStyles } from '../page-styles';
import { POST_MESSAGES } from './messages';
import { registerPostRoutes } from './post-routes';

export const postsPage: ConsolePage = {
  name: 'posts',
  messages: POST_MESSAGES,
  register(app, web) {
    registerPageStyles(app, 'posts.css', path.join(__dirname, 'posts.css'));
    registerPostRoutes(app, web);
  },
};
