/**
 * The preview page group (issue 9): each upcoming post as Instagram and X
 * will show it, with its real card images (preview-routes.ts), and the
 * caption template editor with its live preview (template-routes.ts).
 */
import path from 'node:path';
import { registerPageStyles } from '../page-styles';
import type { ConsolePage } from '../../console-page';
import { PREVIEW_MESSAGES } from './messages';
import { createPreviewCache } from './preview-cache';
import { registerPreviewRoutes } from './preview-routes';
import { registerTemplateRoutes } from './template-routes';

export const previewPage: ConsolePage = {
  name: 'preview',
  messages: PREVIEW_MESSAGES,
  register(app, web) {
    const cache = createPreviewCache({ scratchDir: web.scratchDir, now: () => web.clock.now() });
    app.addHook('onClose', async () => cache.clear());
    registerPageStyles(app, 'preview.css', path.join(__dirname, 'preview.css'));
    registerPreviewRoutes(app, web, cache);
    registerTemplateRoutes(app, web);
  },
};
