export { default } from '@convnets/eslint-config';
