/** The parts of perspective-api-client (npm, plain JavaScript, no types of its own) the tests use. */
declare module 'perspective-api-client' {
  interface AnalyzeOptions {
    attributes?: string[] | Record<string, object>;
    doNotStore?: boolean;
    stripHTML?: boolean;
  }
  class Perspective {
    constructor(options: { apiKey: string });
    analyze(text: string | object, options?: AnalyzeOptions): Promise<any>;
  }
  export = Perspective;
}
