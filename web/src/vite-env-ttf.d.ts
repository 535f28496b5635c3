/** Font files imported for their URL (`?url`): the PDF export fetches them only when it runs. */
declare module "*.ttf?url" {
  const url: string;
  export default url;
}
