import { describe, expect, it } from 'vitest';
import { coarsePlace, placeOfAttributes, regionCode } from '../../src/core/coarse-place.js';

describe('coarse place', () => {
  it('reads countries as ISO codes from codes and common names, UK as GB', () => {
    expect(coarsePlace('us', null)).toEqual({ country: 'US', region: null });
    expect(coarsePlace('United States', 'California')).toEqual({ country: 'US', region: 'CA' });
    expect(coarsePlace('UK', 'England')).toEqual({ country: 'GB', region: 'ENGLAND' });
    expect(coarsePlace('Atlantis', 'Somewhere')).toEqual({ country: null, region: 'SOMEWHERE' });
    expect(coarsePlace(42, null)).toEqual({ country: null, region: null });
  });

  it('reads regions as subdivision codes where known and names otherwise', () => {
    expect(regionCode('US', 'new  york')).toBe('NY');
    expect(regionCode('US', 'US-TX')).toBe('TX');
    expect(regionCode('CA', 'Québec')).toBe('QC');
    expect(regionCode('DE', 'Bavaria')).toBe('BAVARIA');
    expect(regionCode('BR', 'SP')).toBe('SP');
  });

  it('keeps no region text that is not a plausible name', () => {
    expect(regionCode('US', '<script>alert(1)</script>')).toBeNull();
    expect(regionCode('US', 'x'.repeat(65))).toBeNull();
    expect(regionCode('US', '   ')).toBeNull();
    expect(regionCode('US', '=cmd|calc')).toBeNull();
  });

  it('takes a directory account’s place from its country and state columns', () => {
    expect(placeOfAttributes({ country: 'Brazil', state: 'SP', locale: 'pt-BR' })).toEqual({
      country: 'BR',
      region: 'SP',
    });
    expect(placeOfAttributes({ country_code: '', country: 'JP' })).toEqual({ country: 'JP', region: null });
  });
});
