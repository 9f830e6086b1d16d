/** Every image pin names the upstream source where that exact tag was seen. */
import { Images } from '../../src';
import { IMAGE_SOURCES } from '../../src/core/image-sources';

const pins = Object.entries(Images).filter(([, v]) => typeof v === 'string') as Array<[string, string]>;

describe('image pins', () => {
  test('there are pins', () => {
    expect(pins.length).toBeGreaterThanOrEqual(10);
  });

  test.each(pins)('Images.%s names its upstream source for the exact tag', (member, image) => {
    const src = IMAGE_SOURCES[member];
    if (!src) throw new Error(`Images.${member} (${image}) has no entry in src/core/image-sources.ts: record where the tag was seen upstream`);
    expect(image.endsWith(`:${src.tag}`)).toBe(true);
    expect(src.seen).toMatch(/\S{10,}/);
    expect(src.date).toMatch(/^20\d\d-\d\d-\d\d$/);
  });

  test('no source is left over for a pin that no longer exists', () => {
    expect(Object.keys(IMAGE_SOURCES).filter((k) => !pins.some(([m]) => m === k))).toEqual([]);
  });

  test('the unconfirmed SeaweedFS 4.47 is gone', () => {
    expect(Images.SEAWEEDFS).toBe('docker.io/chrislusf/seaweedfs:4.44');
  });
});
