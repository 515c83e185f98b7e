/** web/public/office-view: only web addresses become links, phone numbers become tel: links. */
import { phoneLink, websiteLink } from '../../../src/web/public/office-view';

describe('web/public/office-view', () => {
  it('links a website written with or without its scheme, never a script', () => {
    expect(websiteLink('pontianak.imigrasi.go.id')).toEqual({ href: 'https://pontianak.imigrasi.go.id/', text: 'pontianak.imigrasi.go.id' });
    expect(websiteLink('http://example.go.id/antrean')).toEqual({ href: 'http://example.go.id/antrean', text: 'http://example.go.id/antrean' });
    expect(websiteLink('javascript:alert(1)')).toBeNull();
    expect(websiteLink('Lihat di Instagram kami')).toBeNull();
    expect(websiteLink(null)).toBeNull();
  });

  it('dials the digits of a phone number', () => {
    expect(phoneLink('(0561) 734081')).toEqual({ href: 'tel:0561734081', text: '(0561) 734081' });
    expect(phoneLink('+62 561 734 081')).toEqual({ href: 'tel:+62561734081', text: '+62 561 734 081' });
    expect(phoneLink('hubungi kami')).toBeNull();
  });
});
