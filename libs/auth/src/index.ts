export * from './auth-failure-limiter';
export * from './auth.decorators';
export * from './bearer-auth.guard';
export * from './principal';
