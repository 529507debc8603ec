// Media references repository.
#include "store/repos/media_refs.hpp"

namespace kb::store {

Result<std::int64_t> MediaRefs::put(const MediaRef& r, std::int64_t now) {
  auto row = KB_TRY(c_.query_one(
      "INSERT INTO media_refs (telegram_file_id, file_unique_id, mime_type, file_size, created_at) "
      "VALUES ($1, $2, $3, $4, @ts($5)) ON CONFLICT (file_unique_id) DO UPDATE SET "
      "telegram_file_id = excluded.telegram_file_id, "
      "mime_type = COALESCE(excluded.mime_type, media_refs.mime_type), "
      "file_size = COALESCE(excluded.file_size, media_refs.file_size) RETURNING id",
      r.telegram_file_id, r.file_unique_id, r.mime_type, r.file_size, now));
  return row->i64(0);
}

Result<std::optional<MediaRef>> MediaRefs::get(std::int64_t id) {
  auto row =
      KB_TRY(c_.query_one("SELECT id, telegram_file_id, file_unique_id, mime_type, "
                          "file_size, @ms(created_at) FROM media_refs WHERE id = $1",
                          id));
  if (!row) return std::optional<MediaRef>();
  auto c = row->cursor();
  MediaRef m;
  m.id = c.i64();
  m.telegram_file_id = c.text();
  m.file_unique_id = c.text();
  m.mime_type = c.opt_text();
  m.file_size = c.opt_i64();
  m.created_at = c.i64();
  return std::optional<MediaRef>(std::move(m));
}

}  // namespace kb::store
