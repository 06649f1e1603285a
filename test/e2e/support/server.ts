// The full-server launcher is shared with the API tier; e2e tests keep importing it from here.
export * from '../../helpers/wharf-server.ts';
