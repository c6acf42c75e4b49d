package health.outreach.segment;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface SegmentRepository extends CrudRepository<Segment, Long> {

    Optional<Segment> findByName(String name);

    List<Segment> listOrderByName();
}
