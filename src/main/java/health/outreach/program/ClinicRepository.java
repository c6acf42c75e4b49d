package health.outreach.program;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ClinicRepository extends CrudRepository<Clinic, Long> {

    Optional<Clinic> findByCode(String code);

    List<Clinic> listOrderByName();
}
