import baseConfig from '../../eslint.config.mjs';

export default [...baseConfig, { ignores: ['src/schema.d.ts'] }];
