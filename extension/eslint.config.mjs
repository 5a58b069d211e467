// ESLint flat config: typescript-eslint's strict type-checked and stylistic rules on extension/src.
// ESLint 10 looks up the config from each linted file's folder, so `eslint extension/src` (npm run lint) finds it here.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['scripts/**', 'eslint.config.mjs'] },
  {
    files: ['src/**/*.ts'],
    extends: [eslint.configs.recommended, ...tseslint.configs.strictTypeChecked, ...tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      curly: 'error',
      'no-console': 'error',
      '@typescript-eslint/explicit-function-return-type': ['error', { allowExpressions: true }],
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: false }],
    },
  },
  {
    // The wire contract mirrors the C# records field for field (ProtocolParityTests); its types stay as declared.
    files: ['src/protocol.ts'],
    rules: { '@typescript-eslint/no-redundant-type-constituents': 'off' },
  },
);
