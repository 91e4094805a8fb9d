#include "ingest/catalog.h"

#include <charconv>

#include <fmt/format.h>

#include "ingest/csv_reader.h"
#include "log/bronze_log.h"

namespace ledgerflow {
namespace {

// A realistic convenience store: prices and costs in dollars, reorder points in units.
constexpr std::string_view kBuiltinCatalog =
    "id,item_name,price,cost_price,reorder_point,description\n"
    "1,Bottled Water 500ml,1.25,0.35,300,Still spring water\n"
    "2,Cola 330ml Can,1.50,0.48,250,Classic cola soft drink\n"
    "3,Orange Juice 1L,3.49,1.60,120,Not-from-concentrate orange juice\n"
    "4,Whole Milk 1L,1.89,0.95,150,Fresh pasteurised whole milk\n"
    "5,White Bread Loaf,2.75,1.05,100,Sliced white sandwich bread\n"
    "6,Free-Range Eggs 12,4.29,2.40,80,Dozen large free-range eggs\n"
    "7,Potato Chips 150g,2.99,1.10,150,Sea salt crisps\n"
    "8,Chocolate Bar 100g,1.99,0.70,200,Milk chocolate bar\n"
    "9,Instant Coffee 200g,6.49,3.20,60,Freeze-dried instant coffee\n"
    "10,Black Tea 80 Bags,3.99,1.50,60,English breakfast tea bags\n"
    "11,Bananas 1kg,1.69,0.80,120,Fairtrade bananas\n"
    "12,Apples 1kg,2.99,1.40,100,Crisp red apples\n"
    "13,Cheddar Cheese 200g,3.79,2.05,70,Mature cheddar block\n"
    "14,Greek Yogurt 500g,2.89,1.30,90,Plain strained yogurt\n"
    "15,Spaghetti 500g,1.39,0.45,110,Durum wheat pasta\n"
    "16,Tomato Sauce 400g,1.79,0.62,110,Basil tomato pasta sauce\n"
    "17,Toilet Paper 9 Rolls,5.99,3.10,50,Soft 2-ply toilet tissue\n"
    "18,Dish Soap 500ml,2.49,0.95,60,Lemon washing-up liquid\n"
    "19,Toothpaste 75ml,2.19,0.85,70,Fluoride toothpaste\n"
    "20,AA Batteries 4 Pack,4.99,2.20,40,Alkaline AA batteries\n"
    "21,Energy Drink 250ml,1.99,0.75,180,Sugar-free energy drink\n"
    "22,Ice Cream 500ml,4.49,2.10,60,Vanilla bean ice cream\n"
    "23,Frozen Pizza,4.99,2.30,50,Stone-baked margherita pizza\n"
    "24,Peanut Butter 340g,3.29,1.45,50,Smooth peanut butter\n"
    "25,Breakfast Cereal 500g,3.99,1.70,70,Whole grain flakes\n";

Status row_error(size_t line, const std::string& what) {
  return Status::bad_input("invalid_catalog", fmt::format("catalog line {}: {}", line, what));
}

}  // namespace

Result<Catalog> Catalog::parse_csv(std::string_view csv) {
  Catalog cat;
  CsvReader reader(csv);
  std::vector<std::string> fields;
  Status err;
  bool header = true;
  while (reader.next(&fields, &err)) {
    if (!err) return row_error(reader.line(), err.message());
    if (header) {
      header = false;
      if (fields.size() < 5 || trim(fields[0]) != "id" || trim(fields[1]) != "item_name") {
        return row_error(reader.line(),
                         "expected header id,item_name,price,cost_price,reorder_point,description");
      }
      continue;
    }
    if (fields.size() < 5) return row_error(reader.line(), "expected at least 5 columns");
    Product p;
    std::string_view id = trim(fields[0]);
    auto [ptr, ec] = std::from_chars(id.data(), id.data() + id.size(), p.id);
    if (ec != std::errc() || ptr != id.data() + id.size() || p.id <= 0) {
      return row_error(reader.line(), "id must be a positive integer");
    }
    p.name = std::string(trim(fields[1]));
    Result<Money> price = Money::parse(trim(fields[2]));
    Result<Money> cost = Money::parse(trim(fields[3]));
    if (!price || !cost) return row_error(reader.line(), "price and cost_price must be decimals");
    p.price = *price;
    p.cost_price = *cost;
    std::string_view rp = trim(fields[4]);
    auto [ptr2, ec2] = std::from_chars(rp.data(), rp.data() + rp.size(), p.reorder_point);
    if (ec2 != std::errc() || ptr2 != rp.data() + rp.size() || p.reorder_point < 0) {
      return row_error(reader.line(), "reorder_point must be a non-negative integer");
    }
    if (fields.size() > 5) p.description = std::string(trim(fields[5]));
    if (cat.index_.count(p.id)) return row_error(reader.line(), "duplicate product id");
    cat.index_[p.id] = cat.products_.size();
    cat.products_.push_back(std::move(p));
  }
  if (cat.products_.empty())
    return Status::bad_input("invalid_catalog", "the catalog has no products");
  return cat;
}

Result<Catalog> Catalog::load_file(const std::string& path) {
  Result<std::string> data = read_file(path);
  if (!data) return data.status();
  return parse_csv(*data);
}

const Catalog& Catalog::builtin() {
  static const Catalog kCatalog = parse_csv(kBuiltinCatalog).value();
  return kCatalog;
}

}  // namespace ledgerflow
