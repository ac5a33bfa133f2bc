# Render a Jekyll page the way Jekyll / GitHub Pages does: front matter off, Liquid, then kramdown (GFM).
# Usage: ruby jekyll_page.rb PAGE.md  → prints {"front_matter": …, "html": …} as JSON.
require "json"
require "yaml"
require "date"
require "liquid"
require "kramdown"
require "kramdown-parser-gfm"

text = File.read(ARGV[0], encoding: "UTF-8").gsub("\r\n", "\n")
front_matter = {}
if text.start_with?("---\n")
  yaml, body = text[4..].split(/^---[ \t]*$\n?/, 2)
  front_matter = YAML.safe_load(yaml, permitted_classes: [Date, Time]) || {}
  text = body || ""
end
# Jekyll's own tags (and jekyll-scholar's) need the whole site: each stands in as its name and arguments, so that
# a page and the page cvgen writes from it can still be compared.
class SiteTag < Liquid::Tag
  def render(_context)
    "[#{@tag_name} #{@markup.strip}]"
  end
end
%w[include include_relative bibliography cite link post_url].each { |name| Liquid::Template.register_tag(name, SiteTag) }
# Jekyll renders Liquid with site/page variables; an empty site is enough for a page that uses none.
liquid = Liquid::Template.parse(text, error_mode: :strict).render!({ "site" => {}, "page" => front_matter },
                                                                   strict_variables: false)
# Jekyll's default kramdown options (jekyll/lib/jekyll/configuration.rb).
html = Kramdown::Document.new(
  liquid,
  input: "GFM", hard_wrap: false, auto_ids: true, entity_output: "as_char", toc_levels: [1, 2, 3, 4, 5, 6],
  smart_quotes: "lsquo,rsquo,ldquo,rdquo", footnote_nr: 1, syntax_highlighter: "rouge", show_warnings: false,
  guess_lang: true
).to_html
puts JSON.generate({ "front_matter" => front_matter, "html" => html })
