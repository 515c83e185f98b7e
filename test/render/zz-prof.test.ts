import { renderCaption, renderAltTexts, contextFor } from '../../src/render/caption';
import { loadTemplates } from '../../src/render/templates';
import { SAMPLE_TEMPLATES, SAMPLE_USES } from './template-dir';
import { samplePosts } from './samples';
it('prof', () => {
  const { templates } = loadTemplates(SAMPLE_TEMPLATES, SAMPLE_USES);
  const posts = Object.values(samplePosts('instagram'));
  for (const p of posts) renderCaption(templates!, p);
  let t = performance.now();
  for (let i = 0; i < 50; i++) for (const p of posts) contextFor(p);
  console.log('context ms/post', (performance.now() - t) / 300);
  t = performance.now();
  for (let i = 0; i < 50; i++) for (const p of posts) renderCaption(templates!, p);
  console.log('caption ms/post', (performance.now() - t) / 300);
  t = performance.now();
  for (let i = 0; i < 50; i++) for (const p of posts) renderAltTexts(templates!, p);
  console.log('alt ms/post', (performance.now() - t) / 300);
});
