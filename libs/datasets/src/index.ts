export * from './sanctuary-2018.dataset';
