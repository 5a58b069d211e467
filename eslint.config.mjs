// ESLint flat config: typescript-eslint's strict type-checked and stylistic rules on extension/src.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'server/**', 'tests/**', 'scripts/**', 'eslint.config.mjs'] },
  {
    files: ['extension/src/**/*.ts'],
    extends: [eslint.configs.recommended, ...tseslint.configs.strictTypeChecked, ...tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      parserOptions: { project: './extension/tsconfig.json', tsconfigRootDir: import.meta.dirname },
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
    files: ['extension/src/protocol.ts'],
    rules: { '@typescript-eslint/no-redundant-type-constituents': 'off' },
  },
);
